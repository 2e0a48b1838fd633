package rest

import (
	"context"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/ssra-go/ssra"
)

// AuditLog is the transparency log (透明日志) the audit routes serve;
// cmd/ssrad binds it to adapters/sqlstore. Nothing it returns names a
// person: checkpoints and proofs are hashes, and a proof's leaf goes only
// to whoever may see its record.
type AuditLog interface {
	// Checkpoint returns the latest checkpoint note (C2SP
	// tlog-checkpoint), signed when the server has a key.
	Checkpoint(ctx context.Context) ([]byte, error)
	// ProveRecord returns the inclusion proof of the leaf that made
	// version of record id, if the actor's organisation may see the
	// record; otherwise, and while the leaf is pending, KindNotFound.
	ProveRecord(ctx context.Context, by ssra.Actor, id string, version int64) (InclusionProof, error)
	// ProveConsistency returns the hashes that prove the tree of size to
	// extends the tree of size from; sizes out of range are KindInvalid.
	ProveConsistency(ctx context.Context, from, to int64) ([][]byte, error)
	// Tile returns one hash tile by its tlog path ("tile/8/0/001");
	// an unknown tile is KindNotFound.
	Tile(ctx context.Context, path string) ([]byte, error)
	// AddCosignatures accepts a checkpoint note of the log carrying
	// cosignatures of configured witnesses (见证人, C2SP
	// tlog-cosignature), keeps them and returns the checkpoint's size and
	// every witness that has cosigned it. A note that is not a checkpoint
	// of the log, or carries no valid cosignature of a configured witness,
	// is KindInvalid.
	AddCosignatures(ctx context.Context, note []byte) (Cosigned, error)
	// CosignedCheckpoint returns the checkpoint of the largest tree
	// witnesses have cosigned, the log's signature and theirs following
	// its text; KindNotFound while there is none.
	CosignedCheckpoint(ctx context.Context) ([]byte, error)
}

// Cosigned is the answer to a cosignature: the cosigned checkpoint's tree
// size and the names of the witnesses that have cosigned it so far.
type Cosigned struct {
	Size      int64    `json:"size"`
	Witnesses []string `json:"witnesses"`
}

// cosignatureInput is POST /v1/audit/cosignatures's body.
type cosignatureInput struct {
	Checkpoint string `json:"checkpoint"`
}

// InclusionProof is an inclusion proof as the log returns it: the leaf's
// index and bytes, the tree size and its checkpoint, and the proof hashes.
type InclusionProof struct {
	LeafIndex  int64
	Leaf       []byte
	TreeSize   int64
	Proof      [][]byte
	Checkpoint []byte
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
	cp, err := s.res.Log.Checkpoint(c.Request().Context())
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, "text/plain; charset=utf-8", cp)
}

// auditCosigned serves the latest checkpoint witnesses have cosigned.
func (s *Server) auditCosigned(c echo.Context) error {
	cp, err := s.res.Log.CosignedCheckpoint(c.Request().Context())
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, "text/plain; charset=utf-8", cp)
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
	pr, err := s.res.Log.ProveRecord(c.Request().Context(), actorOf(p), id, version)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, inclusionBody{Record: id, Version: version, LeafIndex: pr.LeafIndex, TreeSize: pr.TreeSize,
		Leaf: string(pr.Leaf), Proof: nonNil(pr.Proof), Checkpoint: string(pr.Checkpoint)})
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
	return c.JSON(http.StatusOK, consistencyBody{From: from, To: to, Proof: nonNil(proof)})
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

func nonNil(p [][]byte) [][]byte {
	if p == nil {
		return [][]byte{}
	}
	return p
}
