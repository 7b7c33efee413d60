/* Starts Swagger UI on /api/v1/swagger (templates/api/swagger.html) from a file, not an inline script,
   so that page keeps script-src 'self' (app/security.py). The page gives the OpenAPI document's URL and
   any SWAGGER_CONFIG as data- attributes. */
(function () {
  "use strict";

  window.addEventListener("load", function () {
    var root = document.getElementById("swagger-ui");
    var extra = JSON.parse(root.getAttribute("data-config") || "{}") || {};
    window.ui = SwaggerUIBundle(Object.assign({
      url: new URL(root.getAttribute("data-spec-url"), window.location.href).href,
      dom_id: "#swagger-ui",
      deepLinking: true,
      presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
      plugins: [SwaggerUIBundle.plugins.DownloadUrl],
      layout: "StandaloneLayout",
      validatorUrl: null,
      showExtensions: true,
      showCommonExtensions: true
    }, extra));
  });
})();
