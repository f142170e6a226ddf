//! Assignment workflow.
