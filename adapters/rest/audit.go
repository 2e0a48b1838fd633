package rest

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/store"
)

// AuditLog is the transparency log (透明日志) the audit routes serve, as
// adapters/store declares it; cmd/ssrad passes adapters/sqlstore.
type AuditLog interface {
	store.Log
	store.Cosignatures
}

// cosignatureInput is POST /v1/audit/cosignatures's body.
type cosignatureInput struct {
	Checkpoint string `json:"checkpoint"`
}

// inclusionBody is GET /v1/audit/proof's answer.
type inclusionBody struct {
	Record     string   `json:"record"`
	Version    int64    `json:"version"`
	LeafIndex  int64    `json:"leaf_index"`
	TreeSize   int64    `json:"tree_size"`
	Leaf       string   `json:"leaf"`
	Proof      [][]byte `json:"proof"`
	Checkpoint string   `json:"checkpoint"`
}

// consistencyBody is GET /v1/audit/consistency's answer.
type consistencyBody struct {
	From  int64    `json:"from"`
	To    int64    `json:"to"`
	Proof [][]byte `json:"proof"`
}

// registerAuditLog adds the transparency log's routes when the server has
// one: the checkpoint and proofs for every key, hash tiles for admins.
func (s *Server) registerAuditLog() {
	if s.res.Log == nil {
		return
	}
	s.v1.GET("/audit/checkpoint", s.auditCheckpoint)
	s.v1.GET("/audit/checkpoint/cosigned", s.auditCosigned)
	s.v1.POST("/audit/cosignatures", s.auditCosign)
	s.v1.GET("/audit/proof", s.auditProof)
	s.v1.GET("/audit/consistency", s.auditConsistency)
	s.v1.GET("/audit/tile", s.auditTile, requireRole(ssra.RoleAdmin))
}

func (s *Server) auditCheckpoint(c echo.Context) error {
	cp, err := s.res.Log.LatestCheckpoint(c.Request().Context())
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, "text/plain; charset=utf-8", cp.Note)
}

// auditCosigned serves the latest checkpoint witnesses have cosigned.
func (s *Server) auditCosigned(c echo.Context) error {
	cp, err := s.res.Log.CosignedCheckpoint(c.Request().Context())
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, "text/plain; charset=utf-8", cp.Note)
}

// auditCosign takes a witness's cosignature of a checkpoint. Who posts it
// does not matter: the cosignature is checked against the witnesses' keys
// the server was configured with.
func (s *Server) auditCosign(c echo.Context) error {
	var in cosignatureInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if in.Checkpoint == "" {
		return ssra.Problems{{Code: "required", Field: "checkpoint", Message: "the checkpoint note with the witness's cosignature"}}.Err("rest.cosign")
	}
	out, err := s.res.Log.AddCosignatures(c.Request().Context(), []byte(in.Checkpoint))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// sizeParam reads a query parameter that must be a whole number ≥ low.
func sizeParam(c echo.Context, ps *ssra.Problems, name string, low int64) int64 {
	v := c.QueryParam(name)
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < low {
		ps.Add("query."+name, name, "must be a whole number of at least %d", low)
	}
	return n
}

func (s *Server) auditProof(c echo.Context) error {
	p, err := caller(c)
	if err != nil {
		return err
	}
	var ps ssra.Problems
	id := c.QueryParam("record")
	if id == "" {
		ps.Add("query.record", "record", "is required: the id of a record")
	}
	version := sizeParam(c, &ps, "version", 1)
	if len(ps) > 0 {
		return badRequest("invalid query parameters", ps)
	}
	pr, err := s.res.Log.ProveRecord(c.Request().Context(), p.Actor(), id, version)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, inclusionBody{Record: id, Version: version, LeafIndex: pr.Index, TreeSize: pr.TreeSize,
		Leaf: string(pr.Leaf), Proof: hashBytes(pr.Proof), Checkpoint: string(pr.Checkpoint)})
}

func (s *Server) auditConsistency(c echo.Context) error {
	var ps ssra.Problems
	from := sizeParam(c, &ps, "from", 1)
	to := sizeParam(c, &ps, "to", 1)
	if len(ps) > 0 {
		return badRequest("invalid query parameters", ps)
	}
	proof, err := s.res.Log.ProveConsistency(c.Request().Context(), from, to)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, consistencyBody{From: from, To: to, Proof: hashBytes(proof)})
}

func (s *Server) auditTile(c echo.Context) error {
	path := c.QueryParam("path")
	if path == "" {
		return badRequest("invalid query parameters", ssra.Problems{{Code: "query.path", Field: "path", Message: "is required: a tile path such as 8/0/001 or 8/1/000.p/5"}})
	}
	data, err := s.res.Log.Tile(c.Request().Context(), "tile/"+path)
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, "application/octet-stream", data)
}

// hashBytes is a proof's hashes as JSON carries them (base64 strings),
// an empty array for none.
func hashBytes(hs []tlog.Hash) [][]byte {
	out := make([][]byte, len(hs))
	for i := range hs {
		out[i] = hs[i][:]
	}
	return out
}
