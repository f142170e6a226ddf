//! The contribution ledger: hours offered, assigned and delivered per expert and per municipality.
