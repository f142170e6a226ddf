//! The authorization matrix test: every role × every operation × own / other object.
