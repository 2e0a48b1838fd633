//go:build ssradtest

package main

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ssra-go/ssra/adapters/rest"
)

// testSlowRouteEnv enables GET /v1/test/slow?ms=N, a request that takes N
// milliseconds, so that the end-to-end test can stop the server during a
// request. Only a binary built with the ssradtest tag has it.
const testSlowRouteEnv = "SSRA_TEST_SLOW_ROUTE"

func init() {
	testRoutes = func(srv *rest.Server, getenv func(string) string) {
		if getenv(testSlowRouteEnv) == "1" {
			srv.V1().GET("/test/slow", slow)
		}
	}
}

// slow answers after the number of milliseconds its ms parameter names
// (1000 when absent or outside 0..60000), ignoring cancellation so that a
// test can see shutdown wait for it.
func slow(c echo.Context) error {
	ms, err := strconv.Atoi(c.QueryParam("ms"))
	if err != nil || ms < 0 || ms > 60000 {
		ms = 1000
	}
	time.Sleep(time.Duration(ms) * time.Millisecond)
	return c.JSON(http.StatusOK, map[string]int{"slept_ms": ms})
}
