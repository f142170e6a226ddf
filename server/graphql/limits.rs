//! A cap on the number of fields one query expands to. Depth and complexity limits do not stop a wide query
//! of many aliases (or `__typename`s) at one level, so every selected field is counted, fragments expanded.

use std::sync::Arc;

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery};
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{Pos, ServerError, ServerResult, Variables};

pub struct FieldLimit(pub usize);

impl ExtensionFactory for FieldLimit {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(FieldLimitExtension(self.0))
    }
}

struct FieldLimitExtension(usize);

/// Fields in a selection set, fragments expanded; stops counting once past `limit` (or when fragments nest
/// deeper than any valid query would), so a hostile document costs little.
fn count(doc: &ExecutableDocument, set: &SelectionSet, limit: usize, depth: usize, total: &mut usize) {
    if depth > 64 {
        *total = limit + 1;
        return;
    }
    for sel in &set.items {
        if *total > limit {
            return;
        }
        match &sel.node {
            Selection::Field(f) => {
                *total += 1;
                count(doc, &f.node.selection_set.node, limit, depth + 1, total);
            }
            Selection::InlineFragment(f) => count(doc, &f.node.selection_set.node, limit, depth + 1, total),
            Selection::FragmentSpread(s) => {
                if let Some(frag) = doc.fragments.get(&s.node.fragment_name.node) {
                    count(doc, &frag.node.selection_set.node, limit, depth + 1, total);
                }
            }
        }
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for FieldLimitExtension {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let doc = next.run(ctx, query, variables).await?;
        for (_, op) in doc.operations.iter() {
            let mut total = 0;
            count(&doc, &op.node.selection_set.node, self.0, 0, &mut total);
            if total > self.0 {
                let mut e =
                    ServerError::new(format!("the query selects more than {} fields", self.0), Some(Pos::default()));
                e.extensions = Some({
                    let mut ext = async_graphql::ErrorExtensionValues::default();
                    ext.set("code", "BAD_USER_INPUT");
                    ext
                });
                return Err(e);
            }
        }
        Ok(doc)
    }
}
