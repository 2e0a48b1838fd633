package rest

import (
	"html/template"
	"net/http"

	"github.com/labstack/echo/v4"
)

// swaggerUIVersion is the version of the npm package swagger-ui-dist whose
// files are embedded for /docs (web/vendor.sh pins it).
const swaggerUIVersion = "5.35.0"

// docsCSP is the policy of /docs: scripts and styles from this server only
// (Swagger UI sets inline style attributes, hence 'unsafe-inline' for
// styles and nothing else), requests to this server only.
const docsCSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
	"connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

var docsPage = template.Must(template.ParseFS(webFS, "web/docs.html.tmpl"))

// registerDocs serves the OpenAPI document rendered by Swagger UI at /docs,
// without a key, from the assets embedded in the binary.
func (s *Server) registerDocs() {
	s.router.GET("/docs", func(c echo.Context) error {
		setPageHeaders(c, docsCSP)
		return renderPage(c, docsPage, "docs", http.StatusOK, struct{ Version string }{swaggerUIVersion})
	})
}
