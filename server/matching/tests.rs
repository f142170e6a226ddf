//! Engine-wide tests (placeholder, filled below).
