// The API documentation page: Swagger UI (vendored from the npm package
// swagger-ui-dist, see web/vendor.sh) rendering this server's own
// /openapi.json. Kept in a file, not inline, so that the page's policy
// allows scripts from this server only.
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: false,
    docExpansion: "list",
    defaultModelsExpandDepth: 0,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
});
