//! The pool's vocabulary. Stored as upper-case text in both databases and exposed as GraphQL enums.

/// Defines an enum that round-trips through its upper-case name (the text stored in SQL).
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, async_graphql::Enum, serde::Serialize, serde::Deserialize)]
        #[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
        #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::domain::UnknownValue;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s { $($text => Ok($name::$variant),)+ _ => Err($crate::domain::UnknownValue(s.to_string())) }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result { f.write_str(self.as_str()) }
        }

        impl $crate::domain::StoredText for $name {
            fn stored(self) -> &'static str { self.as_str() }
        }

        // Stored as its text on both engines, so rows hold the enum and a value this build does not know is a
        // decoding error rather than a string compared somewhere later.
        impl<DB: ::sqlx::Database> ::sqlx::Type<DB> for $name where str: ::sqlx::Type<DB> {
            fn type_info() -> DB::TypeInfo { <str as ::sqlx::Type<DB>>::type_info() }
            fn compatible(ty: &DB::TypeInfo) -> bool { <str as ::sqlx::Type<DB>>::compatible(ty) }
        }

        impl<'r, DB: ::sqlx::Database> ::sqlx::Decode<'r, DB> for $name where &'r str: ::sqlx::Decode<'r, DB> {
            fn decode(value: <DB as ::sqlx::Database>::ValueRef<'r>) -> Result<Self, ::sqlx::error::BoxDynError> {
                Ok(<&'r str as ::sqlx::Decode<'r, DB>>::decode(value)?.parse::<$name>()?)
            }
        }
    };
}

pub(crate) use text_enum;

/// An enum stored as text: what a statement binds for it.
pub trait StoredText: Copy {
    fn stored(self) -> &'static str;
}

/// A stored value that is not one of an enum's names: the database holds something this build does not know.
#[derive(Debug, thiserror::Error)]
#[error("unknown value {0:?}")]
pub struct UnknownValue(pub String);

text_enum!(
    /// What a user may do, as in docs/roles.md.
    Role {
        /// System administrator: everything, including accounts and reference data.
        Admin => "ADMIN",
        /// VNG International staff: read everything, manage skills and municipalities, run matching.
        PoolCoordinator => "POOL_COORDINATOR",
        /// AUC staff: plans and needs of any Ukrainian municipality, priorities, accepting proposals.
        NeedsCoordinator => "NEEDS_COORDINATOR",
        /// Staff of one Ukrainian municipality: its own plans and needs.
        HromadaOfficer => "HROMADA_OFFICER",
        /// Staff of one contributing municipality: its own experts, releases and pledges.
        MunicipalityOfficer => "MUNICIPALITY_OFFICER",
        /// A volunteered staff member: their own profile and availability.
        Expert => "EXPERT",
        /// VNG finance staff: pledges received, disbursements, the fund report.
        FundOfficer => "FUND_OFFICER",
    }
);

text_enum!(
    /// Whether an account may sign in.
    UserStatus {
        Active => "ACTIVE",
        Disabled => "DISABLED",
    }
);

text_enum!(
    /// The two sides of the pool.
    Side {
        /// Lends staff to the pool (Dutch and partner municipalities).
        Contributing => "CONTRIBUTING",
        /// Carries out a local recovery plan (Ukrainian hromadas and Kyiv).
        Recovering => "RECOVERING",
    }
);

text_enum!(
    /// Security status of a Ukrainian municipality, kept up to date by AUC. On-site work is proposed only where it is NORMAL.
    SecurityStatus {
        Normal => "NORMAL",
        NearFrontline => "NEAR_FRONTLINE",
        ActiveHostilities => "ACTIVE_HOSTILITIES",
        Occupied => "OCCUPIED",
    }
);

impl SecurityStatus {
    /// The one rule for sending people: on-site work only where the status is NORMAL.
    pub fn allows_on_site(self) -> bool {
        self == SecurityStatus::Normal
    }
}

text_enum!(
    /// What kind of person an expert is: the pool is not limited to municipal staff.
    ExpertKind {
        /// Staff of a contributing municipality (Dutch or of a partner association).
        MunicipalStaff => "MUNICIPAL_STAFF",
        /// A displaced Ukrainian professional with the needed skills, hosted by a municipality.
        DisplacedProfessional => "DISPLACED_PROFESSIONAL",
        /// An interpreter.
        Interpreter => "INTERPRETER",
        /// Anyone else a municipality volunteers.
        Other => "OTHER",
    }
);

text_enum!(
    /// Whether an expert takes part in matching.
    ExpertStatus {
        Active => "ACTIVE",
        Paused => "PAUSED",
        Withdrawn => "WITHDRAWN",
    }
);

text_enum!(
    /// How work is done.
    WorkMode {
        /// From the expert's own office.
        Remote => "REMOTE",
        /// In the Ukrainian municipality.
        OnSite => "ON_SITE",
        /// Receiving Ukrainian colleagues in the expert's own city.
        Hosting => "HOSTING",
    }
);

text_enum!(
    /// Language level on the CEFR scale, ordered from A1 to NATIVE.
    Cefr {
        A1 => "A1",
        A2 => "A2",
        B1 => "B1",
        B2 => "B2",
        C1 => "C1",
        C2 => "C2",
        Native => "NATIVE",
    }
);

text_enum!(
    /// Priority AUC gives a need.
    Priority {
        Critical => "CRITICAL",
        High => "HIGH",
        Medium => "MEDIUM",
        Low => "LOW",
    }
);

text_enum!(
    /// Where a recovery plan is in its workflow.
    PlanStatus {
        Draft => "DRAFT",
        Submitted => "SUBMITTED",
        Endorsed => "ENDORSED",
        Closed => "CLOSED",
    }
);

text_enum!(
    /// Where a need is in its workflow.
    NeedStatus {
        Draft => "DRAFT",
        Open => "OPEN",
        Filled => "FILLED",
        Closed => "CLOSED",
        Cancelled => "CANCELLED",
    }
);

text_enum!(
    /// How a user wants to hear of their notifications by e-mail (the inbox always has them).
    EmailMode {
        /// One e-mail per notification, as it happens.
        Immediate => "IMMEDIATE",
        /// One e-mail a day listing the unread notifications of the past day.
        Digest => "DIGEST",
        /// No e-mail.
        Off => "OFF",
    }
);

text_enum!(
    /// How a matching round ended.
    RoundStatus {
        /// Solved; its proposals wait for a coordinator to commit them.
        Done => "DONE",
        /// It could not be solved; `error` says why.
        Failed => "FAILED",
    }
);

text_enum!(
    /// Where an e-mail in the outbox is.
    OutboxStatus {
        /// Waiting to be sent (again, after a failed attempt, from `next_attempt_at`).
        Pending => "PENDING",
        /// Handed to the mail server.
        Sent => "SENT",
        /// Kept in the outbox only: no mail server is configured.
        Recorded => "RECORDED",
        /// Given up after the last attempt.
        Failed => "FAILED",
    }
);
