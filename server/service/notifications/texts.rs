//! What notifications and e-mails say, in each language the service speaks (en, nl, uk). A notice carries
//! [`Text`]s — a message key and its arguments — and each recipient reads them in their own language
//! (`users.language`), rendered when the notice is recorded.

/// A message to render: its key in [`MESSAGES`] and the values of its `{placeholders}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub key: &'static str,
    pub args: Vec<(&'static str, Arg)>,
}

/// The value of one placeholder: as given (names, titles, what people typed), or a message of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    Plain(String),
    Message(Box<Text>),
    /// Text people wrote in each language: [English, Dutch, Ukrainian] (e.g. an announcement).
    PerLanguage(Box<[String; 3]>),
    /// Nothing (an optional part, e.g. no reason given).
    Empty,
}

/// Text given as it is, the same in every language (e.g. an operator's message).
impl From<&str> for Text {
    fn from(text: &str) -> Text {
        Text::new("verbatim").with("text", text)
    }
}

impl From<String> for Text {
    fn from(text: String) -> Text {
        Text::from(text.as_str())
    }
}

impl Text {
    pub fn new(key: &'static str) -> Text {
        Text { key, args: Vec::new() }
    }

    /// Adds a plain value.
    pub fn with(mut self, name: &'static str, value: impl ToString) -> Text {
        self.args.push((name, Arg::Plain(value.to_string())));
        self
    }

    /// Adds a value written by people in each language: [English, Dutch, Ukrainian].
    pub fn with_translations(mut self, name: &'static str, texts: [String; 3]) -> Text {
        self.args.push((name, Arg::PerLanguage(Box::new(texts))));
        self
    }

    /// Adds a value that is itself a message.
    pub fn with_text(mut self, name: &'static str, value: Text) -> Text {
        self.args.push((name, Arg::Message(Box::new(value))));
        self
    }

    /// `{reason}`: " Reason: …" when there is one, nothing otherwise.
    pub fn with_reason(mut self, reason: Option<&str>) -> Text {
        let arg = match reason {
            Some(r) => Arg::Message(Box::new(Text::new("reason").with("text", r))),
            None => Arg::Empty,
        };
        self.args.push(("reason", arg));
        self
    }

    /// The message in `language` (English when the language or the key is unknown).
    pub fn render(&self, language: &str) -> String {
        let template = template(self.key, language);
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template;
        while let Some(start) = rest.find('{') {
            out.push_str(&rest[..start]);
            let after = &rest[start + 1..];
            match after.find('}') {
                Some(end) => {
                    let name = &after[..end];
                    match self.args.iter().find(|(n, _)| *n == name).map(|(_, a)| a) {
                        Some(Arg::Plain(v)) => out.push_str(v),
                        Some(Arg::Message(t)) => out.push_str(&t.render(language)),
                        Some(Arg::PerLanguage(texts)) => out.push_str(&texts[column(language)]),
                        Some(Arg::Empty) => {}
                        None => out.push_str(&rest[start..start + end + 2]),
                    }
                    rest = &after[end + 1..];
                }
                None => {
                    out.push_str(&rest[start..]);
                    rest = "";
                }
            }
        }
        out.push_str(rest);
        out
    }
}

/// The column of `language` in [`MESSAGES`] (English when unknown).
fn column(language: &str) -> usize {
    match language {
        "nl" => 1,
        "uk" => 2,
        _ => 0,
    }
}

fn template(key: &str, language: &str) -> &'static str {
    MESSAGES.iter().find(|(k, _)| *k == key).map_or("", |(_, texts)| texts[column(language)])
}

/// Every message: key → [English, Dutch, Ukrainian].
pub const MESSAGES: &[(&str, [&str; 3])] = &[
    ("verbatim", ["{text}", "{text}", "{text}"]),
    ("announcement.text", ["{text}", "{text}", "{text}"]),
    (
        "help.requested.title",
        [
            "Request for help from {hromada}: {title}",
            "Hulpvraag van {hromada}: {title}",
            "Запит про допомогу від {hromada}: {title}",
        ],
    ),
    (
        "help.offered.title",
        ["Help offered for \"{title}\"", "Hulp aangeboden voor \"{title}\"", "Запропоновано допомогу для «{title}»"],
    ),
    (
        "help.agreed.title",
        [
            "Your offer for \"{title}\" is agreed",
            "Uw aanbod voor \"{title}\" is aanvaard",
            "Вашу пропозицію для «{title}» погоджено",
        ],
    ),
    (
        "help.declined.title",
        [
            "Your offer for \"{title}\" is not needed",
            "Uw aanbod voor \"{title}\" is niet nodig",
            "Ваша пропозиція для «{title}» не потрібна",
        ],
    ),
    (
        "forum.answered.title",
        ["Your topic has an answer", "Uw onderwerp heeft een antwoord", "На вашу тему є відповідь"],
    ),
    ("tie.recorded.title", ["A tie to confirm", "Een band om te bevestigen", "Зв'язок, який треба підтвердити"]),
    (
        "tie.recorded.body",
        [
            "The other side entered an existing relation ({kind}) with your municipality. Please confirm it if it is right; confirmed ties count in the matching.",
            "De andere kant heeft een bestaande relatie ({kind}) met uw gemeente ingevoerd. Bevestig die als ze klopt; bevestigde banden tellen mee in de matching.",
            "Інша сторона внесла наявний зв'язок ({kind}) з вашою громадою. Підтвердьте його, якщо він правильний; підтверджені зв'язки враховуються під час добору.",
        ],
    ),
    (
        "session.registered.title",
        [
            "Registered: {name} for \"{title}\"",
            "Aangemeld: {name} voor \"{title}\"",
            "Зареєстровано: {name} на «{title}»",
        ],
    ),
    (
        "session.waiting.title",
        [
            "On the waiting list: {name} for \"{title}\"",
            "Op de wachtlijst: {name} voor \"{title}\"",
            "У списку очікування: {name} на «{title}»",
        ],
    ),
    (
        "session.promoted.title",
        [
            "A seat came free: {name} for \"{title}\"",
            "Er kwam een plaats vrij: {name} voor \"{title}\"",
            "Звільнилося місце: {name} на «{title}»",
        ],
    ),
    (
        "session.registered.body",
        [
            "{when}, attending {attendance}. The calendar invitation is attached to the e-mail.",
            "{when}, deelname {attendance}. De agenda-uitnodiging zit als bijlage bij de e-mail.",
            "{when}, участь {attendance}. Запрошення до календаря додано до листа.",
        ],
    ),
    ("session.reminder.title", ["Tomorrow: \"{title}\"", "Morgen: \"{title}\"", "Завтра: «{title}»"]),
    (
        "session.reminder.body",
        [
            "The information session starts {when}. The calendar invitation is attached to the e-mail.",
            "De informatiebijeenkomst begint {when}. De agenda-uitnodiging zit als bijlage bij de e-mail.",
            "Інформаційна зустріч починається {when}. Запрошення до календаря додано до листа.",
        ],
    ),
    (
        "fund.pledged.title",
        [
            "New pledge: {donor}, {amount} euros",
            "Nieuwe toezegging: {donor}, {amount} euro",
            "Нова обіцянка внеску: {donor}, {amount} євро",
        ],
    ),
    (
        "fund.pledged.body",
        [
            "Purpose {purpose}, earmark {earmark}. Record the money when it arrives.",
            "Doel {purpose}, oormerk {earmark}. Registreer het geld wanneer het binnenkomt.",
            "Мета {purpose}, цільове призначення {earmark}. Зареєструйте кошти, коли вони надійдуть.",
        ],
    ),
    (
        "fund.received.title",
        [
            "The fund received {amount} euros of your pledge",
            "Het fonds ontving {amount} euro van uw toezegging",
            "Фонд отримав {amount} євро вашого внеску",
        ],
    ),
    (
        "fund.received.body",
        [
            "Received so far: {received} of {pledged} euros pledged. Thank you.",
            "Tot nu toe ontvangen: {received} van {pledged} euro toegezegd. Dank u wel.",
            "Отримано на сьогодні: {received} з {pledged} обіцяних євро. Дякуємо.",
        ],
    ),
    (
        "fund.grant_proposed.title",
        [
            "Grant proposed: \"{title}\", {amount} euros",
            "Subsidie voorgesteld: \"{title}\", {amount} euro",
            "Запропоновано грант: «{title}», {amount} євро",
        ],
    ),
    (
        "fund.grant_proposed.body",
        [
            "A second person records the screening and approves or rejects it; the proposer may not.",
            "Een tweede persoon legt de screening vast en keurt goed of af; de voorsteller mag dat niet.",
            "Друга особа фіксує перевірку та схвалює або відхиляє грант; автор пропозиції цього робити не може.",
        ],
    ),
    (
        "fund.grant_approved.title",
        [
            "Grant approved: \"{title}\", {amount} euros",
            "Subsidie goedgekeurd: \"{title}\", {amount} euro",
            "Грант схвалено: «{title}», {amount} євро",
        ],
    ),
    (
        "fund.grant_approved.body",
        [
            "The grant was screened and approved. Money is paid out in tranches; please confirm each one when it arrives.{reason}",
            "De subsidie is gescreend en goedgekeurd. Het geld wordt in delen uitbetaald; bevestig elke betaling bij ontvangst.{reason}",
            "Грант перевірено та схвалено. Кошти виплачуються траншами; підтвердьте, будь ласка, отримання кожного.{reason}",
        ],
    ),
    (
        "fund.grant_rejected.title",
        ["Grant not approved: \"{title}\"", "Subsidie niet goedgekeurd: \"{title}\"", "Грант не схвалено: «{title}»"],
    ),
    (
        "fund.grant_rejected.body",
        [
            "The grant was not approved.{reason}",
            "De subsidie is niet goedgekeurd.{reason}",
            "Грант не схвалено.{reason}",
        ],
    ),
    (
        "fund.disbursed.title",
        [
            "{amount} euros sent for \"{title}\"",
            "{amount} euro overgemaakt voor \"{title}\"",
            "Надіслано {amount} євро для «{title}»",
        ],
    ),
    (
        "fund.disbursed.body",
        [
            "Tranche {tranche}, paid on {paid_on}. Please confirm when it has arrived.",
            "Deel {tranche}, betaald op {paid_on}. Bevestig alstublieft wanneer het is aangekomen.",
            "Транш {tranche}, сплачено {paid_on}. Підтвердьте, будь ласка, коли кошти надійдуть.",
        ],
    ),
    (
        "fund.reported.title",
        ["Report received on \"{title}\"", "Rapportage ontvangen over \"{title}\"", "Отримано звіт щодо «{title}»"],
    ),
    (
        "fund.reported.body",
        [
            "The recipient reported what was done with the money; it is part of every giver's account.",
            "De ontvanger heeft gerapporteerd wat er met het geld is gedaan; dat staat in de verantwoording aan elke gever.",
            "Отримувач звітував, що зроблено за ці кошти; звіт увійде до звіту кожному донору.",
        ],
    ),
    (
        "fund.report_due.title",
        ["Report due on \"{title}\"", "Rapportage verwacht over \"{title}\"", "Очікується звіт щодо «{title}»"],
    ),
    (
        "fund.report_due.body",
        [
            "Please report by {due} what was done with the money: text, figures and attachments.",
            "Rapporteer alstublieft vóór {due} wat er met het geld is gedaan: tekst, cijfers en bijlagen.",
            "Будь ласка, до {due} повідомте, що зроблено за ці кошти: текст, цифри та додатки.",
        ],
    ),
    (
        "fund.report_overdue.title",
        ["Report overdue on \"{title}\"", "Rapportage te laat over \"{title}\"", "Прострочено звіт щодо «{title}»"],
    ),
    (
        "fund.report_overdue.body",
        [
            "The report was due on {due}. The givers are waiting for it.",
            "De rapportage was verwacht op {due}. De gevers wachten erop.",
            "Звіт очікувався {due}. Донори чекають на нього.",
        ],
    ),
    ("reason", [" Reason: {text}", " Reden: {text}", " Причина: {text}"]),
    ("priority.CRITICAL", ["Critical", "Kritiek", "Критичний"]),
    ("priority.HIGH", ["High", "Hoog", "Високий"]),
    ("priority.MEDIUM", ["Medium", "Gemiddeld", "Середній"]),
    ("priority.LOW", ["Low", "Laag", "Низький"]),
    ("side.expert", ["the expert's side", "de kant van de deskundige", "сторони експерта"]),
    ("side.recipient", ["the Ukrainian side", "de Oekraïense kant", "української сторони"]),
    (
        "assignment.proposed.title",
        [
            "Proposed: {expert} for \"{need}\"",
            "Voorgesteld: {expert} voor \"{need}\"",
            "Запропоновано: {expert} для «{need}»",
        ],
    ),
    (
        "assignment.proposed.body",
        [
            "A pool coordinator proposes {expert} ({hours} h/week, {start} to {end}, score {score}). The Ukrainian side is asked to accept or reject it.",
            "Een poolcoördinator stelt {expert} voor ({hours} u/week, {start} tot {end}, score {score}). De Oekraïense kant wordt gevraagd het voorstel te accepteren of af te wijzen.",
            "Координатор пулу пропонує експерта {expert} ({hours} год/тиждень, з {start} до {end}, оцінка {score}). Українську сторону просять прийняти або відхилити пропозицію.",
        ],
    ),
    (
        "assignment.confirmed.title",
        [
            "Assignment confirmed: {expert} for \"{need}\"",
            "Inzet bevestigd: {expert} voor \"{need}\"",
            "Призначення підтверджено: {expert} для «{need}»",
        ],
    ),
    (
        "assignment.confirmed.body",
        [
            "All three consents are given: the Ukrainian side accepted, the expert agreed and their municipality released them. Work can start.",
            "Alle drie de toestemmingen zijn gegeven: de Oekraïense kant heeft geaccepteerd, de deskundige stemt in en de gemeente heeft de deskundige vrijgegeven. Het werk kan beginnen.",
            "Отримано всі три згоди: українська сторона прийняла, експерт погодився, а його муніципалітет погодив участь. Можна починати роботу.",
        ],
    ),
    (
        "assignment.accepted.title",
        [
            "Accepted: {expert} for \"{need}\"",
            "Geaccepteerd: {expert} voor \"{need}\"",
            "Прийнято: {expert} для «{need}»",
        ],
    ),
    (
        "assignment.accepted.body",
        [
            "The Ukrainian side accepted the proposal. The expert is asked to agree and their municipality to release them.",
            "De Oekraïense kant heeft het voorstel geaccepteerd. De deskundige wordt gevraagd in te stemmen en de gemeente om de deskundige vrij te geven.",
            "Українська сторона прийняла пропозицію. Експерта просять погодитися, а його муніципалітет — погодити участь.",
        ],
    ),
    (
        "assignment.rejected.title",
        [
            "Not accepted: {expert} for \"{need}\"",
            "Niet geaccepteerd: {expert} voor \"{need}\"",
            "Не прийнято: {expert} для «{need}»",
        ],
    ),
    (
        "assignment.rejected.body",
        [
            "The Ukrainian side did not accept the proposal.{reason}",
            "De Oekraïense kant heeft het voorstel niet geaccepteerd.{reason}",
            "Українська сторона не прийняла пропозицію.{reason}",
        ],
    ),
    (
        "assignment.agreed.title",
        [
            "The expert agreed: {expert} for \"{need}\"",
            "De deskundige stemt in: {expert} voor \"{need}\"",
            "Експерт погодився: {expert} для «{need}»",
        ],
    ),
    (
        "assignment.agreed.body",
        [
            "The expert agreed to the assignment.",
            "De deskundige stemt in met de inzet.",
            "Експерт погодився на призначення.",
        ],
    ),
    (
        "assignment.declined.title",
        [
            "The expert declined: {expert} for \"{need}\"",
            "De deskundige heeft afgeslagen: {expert} voor \"{need}\"",
            "Експерт відмовився: {expert} для «{need}»",
        ],
    ),
    (
        "assignment.declined.body",
        [
            "The expert declined the assignment.{reason}",
            "De deskundige heeft de inzet afgeslagen.{reason}",
            "Експерт відмовився від призначення.{reason}",
        ],
    ),
    (
        "assignment.released.title",
        [
            "Released by the municipality: {expert} for \"{need}\"",
            "Vrijgegeven door de gemeente: {expert} voor \"{need}\"",
            "Муніципалітет погодив участь: {expert} для «{need}»",
        ],
    ),
    (
        "assignment.released.body",
        [
            "The expert's municipality released them for the assignment.",
            "De gemeente van de deskundige heeft de deskundige vrijgegeven voor de inzet.",
            "Муніципалітет експерта погодив його участь у призначенні.",
        ],
    ),
    (
        "assignment.withdrawn.title",
        [
            "Withdrawn by the municipality: {expert} for \"{need}\"",
            "Ingetrokken door de gemeente: {expert} voor \"{need}\"",
            "Муніципалітет відкликав згоду: {expert} для «{need}»",
        ],
    ),
    (
        "assignment.withdrawn.body",
        [
            "The expert's municipality withdrew the release.{reason}",
            "De gemeente van de deskundige heeft de vrijgave ingetrokken.{reason}",
            "Муніципалітет експерта відкликав погодження участі.{reason}",
        ],
    ),
    (
        "assignment.started.title",
        [
            "Work started: {expert} for \"{need}\"",
            "Werk begonnen: {expert} voor \"{need}\"",
            "Роботу розпочато: {expert} для «{need}»",
        ],
    ),
    (
        "assignment.started.body",
        [
            "Work on the assignment has started.",
            "Het werk aan de inzet is begonnen.",
            "Роботу за призначенням розпочато.",
        ],
    ),
    (
        "assignment.completed.title",
        [
            "Completed: {expert} for \"{need}\"",
            "Afgerond: {expert} voor \"{need}\"",
            "Завершено: {expert} для «{need}»",
        ],
    ),
    (
        "assignment.completed.body",
        [
            "The assignment is complete. Both sides are asked for their feedback.",
            "De inzet is afgerond. Beide kanten worden om hun feedback gevraagd.",
            "Призначення завершено. Обидві сторони просять залишити відгук.",
        ],
    ),
    (
        "assignment.cancelled.title",
        [
            "Cancelled: {expert} for \"{need}\"",
            "Geannuleerd: {expert} voor \"{need}\"",
            "Скасовано: {expert} для «{need}»",
        ],
    ),
    (
        "assignment.cancelled.body",
        ["The assignment was cancelled.{reason}", "De inzet is geannuleerd.{reason}", "Призначення скасовано.{reason}"],
    ),
    (
        "assignment.feedback_given.title",
        [
            "Feedback from {side} on {expert} for \"{need}\"",
            "Feedback van {side} over {expert} voor \"{need}\"",
            "Відгук від {side} щодо {expert} для «{need}»",
        ],
    ),
    (
        "assignment.feedback_given.body",
        ["Rating {rating}/5: {text}", "Beoordeling {rating}/5: {text}", "Оцінка {rating}/5: {text}"],
    ),
    (
        "assignment.stale.title",
        [
            "A proposal has waited {hours} hours for an answer",
            "Een voorstel wacht al {hours} uur op antwoord",
            "Пропозиція чекає на відповідь уже {hours} год",
        ],
    ),
    (
        "assignment.stale.body",
        [
            "{expert} was proposed for the need \"{need}\" on {when} and has not been answered yet. Ask the Ukrainian side for a decision, or cancel the proposal.",
            "{expert} is op {when} voorgesteld voor de behoefte \"{need}\" en heeft nog geen antwoord gekregen. Vraag de Oekraïense kant om een besluit, of annuleer het voorstel.",
            "{expert} запропоновано для потреби «{need}» {when}, і відповіді ще немає. Попросіть українську сторону ухвалити рішення або скасуйте пропозицію.",
        ],
    ),
    (
        "plan.submitted.title",
        [
            "Plan waits for endorsement: \"{plan}\"",
            "Plan wacht op onderschrijving: \"{plan}\"",
            "План очікує схвалення: «{plan}»",
        ],
    ),
    (
        "plan.submitted.body",
        [
            "{hromada} submitted the recovery plan \"{plan}\". Endorse it, or return it with a reason.",
            "{hromada} heeft het herstelplan \"{plan}\" ingediend. Onderschrijf het, of stuur het met een reden terug.",
            "Громада {hromada} подала план відновлення «{plan}». Схваліть його або поверніть, зазначивши причину.",
        ],
    ),
    ("plan.endorsed.title", ["Plan endorsed: \"{plan}\"", "Plan onderschreven: \"{plan}\"", "План схвалено: «{plan}»"]),
    (
        "plan.endorsed.body",
        [
            "AUC endorsed the plan; its needs are open for matching.",
            "AUC heeft het plan onderschreven; de behoeften staan open voor matching.",
            "АМУ схвалила план; його потреби відкрито для підбору.",
        ],
    ),
    (
        "plan.returned.title",
        ["Plan returned: \"{plan}\"", "Plan teruggestuurd: \"{plan}\"", "План повернуто: «{plan}»"],
    ),
    (
        "plan.returned.body",
        [
            "AUC returned the plan for changes.{reason}",
            "AUC heeft het plan teruggestuurd voor aanpassing.{reason}",
            "АМУ повернула план на доопрацювання.{reason}",
        ],
    ),
    (
        "need.priority_set.title",
        [
            "Priority of \"{need}\": {priority}",
            "Prioriteit van \"{need}\": {priority}",
            "Пріоритет потреби «{need}»: {priority}",
        ],
    ),
    (
        "need.priority_set.body",
        [
            "AUC set the need's priority to {priority}.",
            "AUC heeft de prioriteit van de behoefte op {priority} gezet.",
            "АМУ встановила для потреби пріоритет «{priority}».",
        ],
    ),
    (
        "digest.subject",
        [
            "recovery-pool: unread notifications ({count})",
            "recovery-pool: ongelezen meldingen ({count})",
            "recovery-pool: непрочитані сповіщення ({count})",
        ],
    ),
    (
        "digest.intro",
        [
            "Your daily digest: the notifications you have not read yet.",
            "Uw dagelijkse overzicht: de meldingen die u nog niet hebt gelezen.",
            "Ваш щоденний дайджест: сповіщення, які ви ще не прочитали.",
        ],
    ),
    ("digest.more", ["… and {count} more.", "… en nog {count}.", "… і ще {count}."]),
    (
        "digest.footer",
        [
            "You can see and answer them in your inbox in recovery-pool (Notifications).\nTo receive each notification at once or no e-mail at all, change your notification preference there.",
            "U kunt ze bekijken en beantwoorden in uw inbox in recovery-pool (Meldingen).\nWilt u elke melding direct of geen e-mail, wijzig dan daar uw voorkeur.",
            "Переглянути їх і відповісти можна у вашій скриньці в recovery-pool (Сповіщення).\nЩоб отримувати кожне сповіщення одразу або не отримувати листів, змініть там налаштування.",
        ],
    ),
    (
        "invitation.subject",
        ["recovery-pool: your invitation", "recovery-pool: uw uitnodiging", "recovery-pool: ваше запрошення"],
    ),
    (
        "invitation.body",
        [
            "Dear {name},\n\nYou are invited to recovery-pool, the network pool through which Dutch municipalities lend their experts to the recovery of Ukrainian municipalities.\n\nSet your password here to open your account (the link works for {days} days, once):\n{link}\n\nIf you did not expect this, you can ignore this e-mail.",
            "Beste {name},\n\nU bent uitgenodigd voor recovery-pool, de netwerkpool waarmee Nederlandse gemeenten hun deskundigen uitlenen aan het herstel van Oekraïense gemeenten.\n\nKies hier uw wachtwoord om uw account te openen (de link werkt {days} dagen, één keer):\n{link}\n\nHad u dit niet verwacht, dan kunt u deze e-mail negeren.",
            "Шановна/шановний {name},\n\nВас запрошено до recovery-pool — мережевого пулу, через який муніципалітети Нідерландів надають своїх експертів для відновлення українських громад.\n\nЗадайте пароль тут, щоб відкрити свій обліковий запис (посилання діє {days} днів, один раз):\n{link}\n\nЯкщо ви не очікували цього листа, просто проігноруйте його.",
        ],
    ),
    (
        "reset.subject",
        ["recovery-pool: a new password", "recovery-pool: een nieuw wachtwoord", "recovery-pool: новий пароль"],
    ),
    (
        "reset.body",
        [
            "Someone asked for a new password for your account. Choose one here (the link works for {hours} hour, once):\n{link}\n\nIf it was not you, ignore this e-mail: your password stays as it is.",
            "Er is een nieuw wachtwoord gevraagd voor uw account. Kies het hier (de link werkt {hours} uur, één keer):\n{link}\n\nWas u dit niet, negeer dan deze e-mail: uw wachtwoord blijft zoals het is.",
            "Хтось попросив новий пароль для вашого облікового запису. Задайте його тут (посилання діє {hours} год, один раз):\n{link}\n\nЯкщо це були не ви, проігноруйте цей лист: ваш пароль не зміниться.",
        ],
    ),
    ("email.open", ["Open it: {link}", "Bekijken: {link}", "Відкрити: {link}"]),
    (
        "email.footer",
        [
            "You can see this notification in your inbox in recovery-pool (Notifications).\nTo receive a daily digest or no e-mail at all, change your notification preference there.",
            "U ziet deze melding ook in uw inbox in recovery-pool (Meldingen).\nWilt u een dagelijks overzicht of geen e-mail, wijzig dan daar uw voorkeur.",
            "Це сповіщення є у вашій скриньці в recovery-pool (Сповіщення).\nЩоб отримувати щоденний дайджест або не отримувати листів, змініть там налаштування.",
        ],
    ),
];

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::{MESSAGES, Text};

    fn placeholders(s: &str) -> BTreeSet<&str> {
        s.split('{').skip(1).filter_map(|p| p.split_once('}').map(|(n, _)| n)).collect()
    }

    #[test]
    fn every_message_is_written_in_every_language_with_the_same_placeholders() {
        let mut keys = BTreeSet::new();
        for (key, texts) in MESSAGES {
            assert!(keys.insert(*key), "{key} is listed twice");
            for (lang, text) in ["en", "nl", "uk"].iter().zip(texts) {
                assert!(!text.trim().is_empty(), "{key} has no {lang} text");
                assert_eq!(placeholders(text), placeholders(texts[0]), "{key} in {lang}");
            }
        }
    }

    #[test]
    fn a_message_renders_in_the_readers_language_with_its_parts() {
        let t = Text::new("assignment.rejected.body").with_reason(Some("No Ukrainian."));
        assert_eq!(t.render("en"), "The Ukrainian side did not accept the proposal. Reason: No Ukrainian.");
        assert_eq!(t.render("nl"), "De Oekraïense kant heeft het voorstel niet geaccepteerd. Reden: No Ukrainian.");
        assert_eq!(t.render("uk"), "Українська сторона не прийняла пропозицію. Причина: No Ukrainian.");
        let without = Text::new("assignment.rejected.body").with_reason(None);
        assert_eq!(without.render("en"), "The Ukrainian side did not accept the proposal.");
        let title = Text::new("need.priority_set.title")
            .with("need", "Heat {x}")
            .with_text("priority", Text::new("priority.HIGH"));
        assert_eq!(title.render("nl"), "Prioriteit van \"Heat {x}\": Hoog", "a value is never read as a template");
        assert_eq!(title.render("xx"), "Priority of \"Heat {x}\": High", "English when the language is unknown");
    }
}
