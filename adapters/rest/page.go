package rest

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/labstack/echo/v4"
	"golang.org/x/text/language"

	"github.com/ssra-go/ssra"
)

// The server's HTML pages (the status page, the API documentation) and
// their static assets are embedded at build time: nothing is loaded from
// another site when a page is shown.
//
//go:embed web/*.tmpl web/assets/*.css web/assets/*.js web/assets/*.txt
var webFS embed.FS

// pageCSP is the Content-Security-Policy of the status page: nothing but
// this server's own style sheet, no script at all, forms only to this
// server, no framing.
const pageCSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; " +
	"frame-ancestors 'none'; base-uri 'none'"

// setPageHeaders sets the headers of every HTML page: its policy, no
// sniffing, no referrer (a page's address never travels to another site),
// no framing and no caching.
func setPageHeaders(c echo.Context, csp string) {
	h := c.Response().Header()
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cache-Control", "no-store")
}

// renderPage executes the named template and answers with the HTML.
func renderPage(c echo.Context, t *template.Template, name string, status int, data any) error {
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, name, data); err != nil {
		return ssra.Wrap(ssra.KindInternal, "rest.renderPage", err, "page "+name+" does not render")
	}
	return c.HTMLBlob(status, b.Bytes())
}

var pageLangs = language.NewMatcher([]language.Tag{language.SimplifiedChinese, language.English})

// pageLang is the language of a page: an explicit lang value ("zh-CN" or
// "en", from the switch) wins, then the browser's Accept-Language, then
// zh-CN.
func pageLang(c echo.Context, explicit string) ssra.Lang {
	if l, err := ssra.ParseLang(explicit); err == nil {
		return l
	}
	tags, _, err := language.ParseAcceptLanguage(c.Request().Header.Get("Accept-Language"))
	if err != nil || len(tags) == 0 {
		return ssra.LangZH
	}
	if _, i, conf := pageLangs.Match(tags...); conf != language.No && i == 1 {
		return ssra.LangEN
	}
	return ssra.LangZH
}

// langCode is the BCP 47 code of the page language, for lang attributes.
func langCode(l ssra.Lang) string {
	if l == ssra.LangEN {
		return "en"
	}
	return "zh-CN"
}

// registerAssets serves the pages' embedded assets under /assets/:name.
// The files never change within a build, so they may be cached for a day.
func (s *Server) registerAssets() {
	s.router.GET("/assets/:name", func(c echo.Context) error {
		name := c.Param("name")
		if strings.ContainsAny(name, "/\\") || strings.HasPrefix(name, ".") {
			return &transportCondition{Status: http.StatusNotFound, Name: "not_found", Title: "Not found", Detail: "no such asset"}
		}
		b, err := fs.ReadFile(webFS, "web/assets/"+name)
		if err != nil {
			return &transportCondition{Status: http.StatusNotFound, Name: "not_found", Title: "Not found", Detail: "no such asset"}
		}
		ct := mime.TypeByExtension(path.Ext(name))
		if ct == "" {
			ct = "application/octet-stream"
		}
		h := c.Response().Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cache-Control", "public, max-age=86400")
		return c.Blob(http.StatusOK, ct, b)
	})
}
