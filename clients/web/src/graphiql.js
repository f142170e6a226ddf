// Starts GraphiQL on the service's own endpoint. A file of its own rather than an inline script, so that the
// page's Content-Security-Policy can forbid inline scripts.
(function () {
  "use strict";
  var url = new URL("/graphql", window.location.origin).toString();
  var fetcher = GraphiQL.createFetcher({ url: url });
  var start = [
    "# recovery-pool's GraphQL API.",
    "#",
    "# Sign in with the login mutation below, then put the token it returns into the",
    "# Headers tab: { \"Authorization\": \"Bearer <token>\" }",
    "",
    "mutation SignIn {",
    "  login(email: \"coordinator@demo.recovery-pool.example\", password: \"recovery-pool-demo\") {",
    "    token",
    "    user { role }",
    "  }",
    "}",
    "",
  ].join("\n");
  ReactDOM.createRoot(document.getElementById("graphiql")).render(
    React.createElement(GraphiQL, { fetcher: fetcher, defaultQuery: start, defaultEditorToolsVisibility: true })
  );
})();
