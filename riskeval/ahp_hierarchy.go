package riskeval

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/internal/strictjson"
)

// Limits of AHP hierarchies and groups, so that a request cannot ask for
// unbounded work.
const (
	// AHPMaxDepth is the deepest hierarchy accepted (the root is depth 0).
	AHPMaxDepth = 6
	// AHPMaxNodes is the most nodes a hierarchy may have.
	AHPMaxNodes = 2000
	// AHPMaxExperts is the most expert matrices a group may have.
	AHPMaxExperts = 500
	// AHPGroupScale is the number of decimal places of an aggregated group
	// judgment (the entry ≥ 1 of each pair; its mirror is the exact
	// reciprocal).
	AHPGroupScale int32 = 12
)

// AHPNode is one element of an AHP hierarchy (递阶层次结构): the goal at the
// root, criteria below it, factors below those. An inner node holds the
// pairwise matrix that compares its children, in the order of Children; a
// leaf has neither matrix nor children. Leaves with the same ID under
// different parents are the same alternative judged under several criteria:
// their global weights are added.
type AHPNode struct {
	ID       string         `json:"id"`
	Matrix   PairwiseMatrix `json:"matrix,omitempty"`
	Children []AHPNode      `json:"children,omitempty"`
}

// AHPHierarchyInput is the input of AHPHierarchy: the root node, and the
// method and RI table applied to every matrix (unset: eigenvector and
// saaty, as in AHPInput).
type AHPHierarchyInput struct {
	Root    AHPNode   `json:"root"`
	Method  AHPMethod `json:"method,omitzero"`
	RITable RITable   `json:"ri_table,omitzero"`
}

// AHPNodeResult is the local result of one inner node of a hierarchy.
type AHPNodeResult struct {
	// ID and Path name the node ("root.children[1]").
	ID   string `json:"id"`
	Path string `json:"path"`
	// Depth is 0 for the root.
	Depth int `json:"depth"`
	// Global is the node's own global weight (1 for the root): the product
	// of the unrounded local weights on the way down from the root, rounded
	// half-up to ssra.WeightScale places for display. The combined
	// consistency of its level uses the unrounded product.
	Global decimal.Decimal `json:"global"`
	// Children are the IDs of the compared children, in matrix order.
	Children []string `json:"children"`
	// Result is the AHP result of the node's matrix; its weights are the
	// children's local weights.
	Result AHPResult `json:"result"`
}

// AHPGlobalWeight is the global weight of a leaf (组合权重): the sum over
// its occurrences of the products of the unrounded local weights from the
// root down, rounded once, half-up, to ssra.WeightScale places and adjusted
// with the other leaves to sum to exactly 1 (domain.md §1.10).
type AHPGlobalWeight struct {
	ID     string          `json:"id"`
	Weight decimal.Decimal `json:"weight"`
	// Exact is the unrounded sum of products of the working local weights
	// (each the float64 eigenvector or geometric mean cut to 12 places and
	// normalised at 18), shown cut half-up to 18 places; the rounding of
	// Weight starts from the full product, not from this figure.
	Exact decimal.Decimal `json:"exact"`
}

// AHPLevelConsistency is the hierarchy consistency of one level (层次总排序
// 一致性检验): CR = Σ g_k·CI_k / Σ g_k·RI_k over the inner nodes k at that
// depth, each weighted by its global weight g_k.
type AHPLevelConsistency struct {
	Depth      int             `json:"depth"`
	CR         decimal.Decimal `json:"cr"`
	Consistent bool            `json:"consistent"`
}

// AHPHierarchyResult is the outcome of AHPHierarchy.
type AHPHierarchyResult struct {
	Method  AHPMethod `json:"method"`
	RITable RITable   `json:"ri_table"`
	// Nodes holds every inner node's local result, in depth-first order.
	Nodes []AHPNodeResult `json:"nodes"`
	// Leaves holds the global weights, in order of first appearance.
	Leaves []AHPGlobalWeight `json:"leaves"`
	// Levels holds the combined consistency of each level below the root.
	Levels []AHPLevelConsistency `json:"levels,omitempty"`
	// Consistent reports that every matrix and every level is consistent.
	Consistent  bool          `json:"consistent"`
	Warnings    ssra.Problems `json:"warnings,omitempty"`
	Explanation Explanation   `json:"explanation"`
}

// AHPHierarchy runs AHP on every inner node of a hierarchy and multiplies
// local weights into global weights (domain.md §1.7): a leaf's global weight
// is the product of the unrounded (working) local weights on its path,
// exact in decimal, summed over the leaf's occurrences, then rounded once,
// half-up, to
// ssra.WeightScale places and adjusted by the largest remainder to sum to
// exactly 1. Each level below the root also gets the combined consistency
// ratio of Chinese practice. Invalid input returns an *ssra.Error of
// KindInvalid with paths such as "root.children[1].matrix[0][2]".
func AHPHierarchy(in AHPHierarchyInput) (AHPHierarchyResult, error) {
	const op = "riskeval.AHPHierarchy"
	method, table, ps := ahpOptions(in.Method, in.RITable)
	ps = append(ps, validateHierarchy(in.Root)...)
	if err := ps.Err(op); err != nil {
		return AHPHierarchyResult{}, err
	}
	res := AHPHierarchyResult{Method: method, RITable: table, Consistent: true}
	e := &res.Explanation
	e.Addf("ahp.hierarchy.input", "Hierarchy rooted at %q; method %s and RI table %s for every matrix.", in.Root.ID, method, table)
	exact := map[string]decimal.Decimal{}
	var order []string
	var globals []decimal.Decimal // unrounded global weight of each res.Nodes entry
	var walk func(n AHPNode, path string, depth int, global decimal.Decimal, trail string) error
	walk = func(n AHPNode, path string, depth int, global decimal.Decimal, trail string) error {
		if len(n.Children) == 0 {
			if _, ok := exact[n.ID]; !ok {
				order = append(order, n.ID)
				exact[n.ID] = decimal.Zero
			}
			exact[n.ID] = exact[n.ID].Add(global)
			e.Addf("ahp.hierarchy.path", "%s: %s = %s.", n.ID, trail, global.Round(normaliseScale))
			return nil
		}
		r, work, err := ahpCompute(n.Matrix, method, table, ssra.JoinPath(path, "matrix"))
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		ids := make([]string, len(n.Children))
		for i, c := range n.Children {
			ids[i] = c.ID
		}
		res.Nodes = append(res.Nodes, AHPNodeResult{ID: n.ID, Path: path, Depth: depth, Global: ssra.RoundHalfUp(global, ssra.WeightScale), Children: ids, Result: r})
		globals = append(globals, global)
		e.Addf("ahp.hierarchy.local", "%s (%s): local weights of %s = %s (rounded, shown); unrounded working weights %s multiply down the hierarchy; CR %s (%s).", n.ID, path, strings.Join(ids, ", "), joinDec(r.Weights), joinDec(work), fixedString(r.CR, ssra.IndexScale), consistentWord(r.Consistent))
		if !r.Consistent {
			res.Consistent = false
			res.Warnings = append(res.Warnings, r.Warnings...)
		}
		for i, c := range n.Children {
			t := work[i].String()
			if depth > 0 {
				t = trail + " × " + t
			}
			if err := walk(c, ssra.Index(ssra.JoinPath(path, "children"), i), depth+1, global.Mul(work[i]), t); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(in.Root, "root", 0, decOne, ""); err != nil {
		return AHPHierarchyResult{}, ssra.Wrap(ssra.KindInternal, op, err, "AHP computation failed")
	}
	vals := make([]decimal.Decimal, len(order))
	shown := make([]decimal.Decimal, len(order))
	for i, id := range order {
		vals[i] = exact[id]
		shown[i] = vals[i].Round(normaliseScale)
	}
	e.Addf("ahp.hierarchy.global", "Global weights are products of the unrounded local weights along each path (exact in decimal, shown to %d places), added for a leaf that appears under several parents, and rounded once below: %s for %s.", normaliseScale, joinDec(shown), strings.Join(order, ", "))
	rounded, err := roundWeights(vals, "ahp.hierarchy.round", "Global weights", e)
	if err != nil {
		return AHPHierarchyResult{}, ssra.Wrap(ssra.KindInternal, op, err, "rounding global weights failed")
	}
	for i, id := range order {
		res.Leaves = append(res.Leaves, AHPGlobalWeight{ID: id, Weight: rounded[i], Exact: shown[i]})
	}
	res.levelConsistency(globals)
	return res, nil
}

func consistentWord(ok bool) string {
	if ok {
		return "consistent"
	}
	return "not consistent"
}

// levelConsistency computes the combined CR of each depth ≥ 1; globals
// holds the unrounded global weight of each node of res.Nodes.
func (res *AHPHierarchyResult) levelConsistency(globals []decimal.Decimal) {
	maxDepth := 0
	for _, n := range res.Nodes {
		maxDepth = max(maxDepth, n.Depth)
	}
	for d := 1; d <= maxDepth; d++ {
		num, den := decimal.Zero, decimal.Zero
		var terms []string
		for k, n := range res.Nodes {
			if n.Depth != d {
				continue
			}
			num = num.Add(globals[k].Mul(n.Result.CI))
			den = den.Add(globals[k].Mul(n.Result.RI))
			terms = append(terms, fmt.Sprintf("%s: g %s, CI %s, RI %s", n.ID, globals[k].Round(normaliseScale), fixedString(n.Result.CI, ssra.IndexScale), n.Result.RI))
		}
		lc := AHPLevelConsistency{Depth: d, CR: decimal.Zero, Consistent: true}
		if den.Sign() > 0 {
			lc.CR = num.DivRound(den, ssra.IndexScale)
			lc.Consistent = lc.CR.Cmp(ahpCRLimit) < 0
		}
		res.Explanation.Addf("ahp.hierarchy.level_cr", "Level %d combined consistency CR = Σ g·CI / Σ g·RI = %s / %s = %s (numerator and denominator shown to 18 places; the division uses them unrounded), rounded half-up to %d places (%s) [%s]; %s.", d, num.Round(normaliseScale), den.Round(normaliseScale), fixedString(lc.CR, ssra.IndexScale), ssra.IndexScale, consistentWord(lc.Consistent), strings.Join(terms, "; "), levelNote(den))
		if !lc.Consistent {
			res.Consistent = false
			res.Warnings.Warn("ahp.hierarchy.inconsistent", fmt.Sprintf("levels[%d]", d), "combined consistency ratio of level %d is %s, not below %s", d, fixedString(lc.CR, ssra.IndexScale), ahpCRLimit.StringFixed(2))
		}
		res.Levels = append(res.Levels, lc)
	}
}

func levelNote(den decimal.Decimal) string {
	if den.Sign() > 0 {
		return "consistent when below 0.10"
	}
	return "every matrix at this level has n ≤ 2, so CR = 0"
}

func validateHierarchy(root AHPNode) ssra.Problems {
	var ps ssra.Problems
	if len(root.Children) == 0 {
		ps.Add("ahp.hierarchy.no_children", "root.children", "the root needs at least one child")
	}
	count := 0
	inner := map[string]string{}
	leaves := map[string]string{}
	var walk func(n AHPNode, path string, depth int)
	walk = func(n AHPNode, path string, depth int) {
		count++
		if count > AHPMaxNodes {
			if count == AHPMaxNodes+1 {
				ps.Add("ahp.hierarchy.too_many_nodes", "root", "the hierarchy has more than %d nodes", AHPMaxNodes)
			}
			return
		}
		if strings.TrimSpace(n.ID) == "" {
			ps.Add("ahp.hierarchy.id_missing", ssra.JoinPath(path, "id"), "every node needs an id")
		}
		if len(n.Children) == 0 {
			if n.Matrix != nil {
				ps.Add("ahp.hierarchy.leaf_matrix", ssra.JoinPath(path, "matrix"), "a leaf has no children to compare, so it takes no matrix")
			}
			if p, ok := inner[n.ID]; ok && n.ID != "" {
				ps.Add("ahp.hierarchy.duplicate_id", ssra.JoinPath(path, "id"), "id %q is already used by the inner node at %s", n.ID, p)
			}
			if _, ok := leaves[n.ID]; !ok {
				leaves[n.ID] = path
			}
			return
		}
		if depth >= AHPMaxDepth {
			ps.Add("ahp.hierarchy.too_deep", path, "the hierarchy is deeper than %d levels", AHPMaxDepth)
			return
		}
		if p, ok := inner[n.ID]; ok && n.ID != "" {
			ps.Add("ahp.hierarchy.duplicate_id", ssra.JoinPath(path, "id"), "id %q is already used at %s", n.ID, p)
		} else if p, ok := leaves[n.ID]; ok && n.ID != "" {
			ps.Add("ahp.hierarchy.duplicate_id", ssra.JoinPath(path, "id"), "id %q is already used by the leaf at %s", n.ID, p)
		} else {
			inner[n.ID] = path
		}
		mp := ssra.JoinPath(path, "matrix")
		if len(n.Matrix) != len(n.Children) {
			ps.Add("ahp.hierarchy.matrix_size", mp, "the node has %d children but its matrix has %d rows", len(n.Children), len(n.Matrix))
		} else {
			ps = append(ps, n.Matrix.validate(mp)...)
		}
		seen := map[string]int{}
		for i, c := range n.Children {
			cp := ssra.Index(ssra.JoinPath(path, "children"), i)
			if j, ok := seen[c.ID]; ok && c.ID != "" {
				ps.Add("ahp.hierarchy.duplicate_id", ssra.JoinPath(cp, "id"), "id %q repeats sibling %d", c.ID, j)
			}
			seen[c.ID] = i
			walk(c, cp, depth+1)
		}
	}
	walk(root, "root", 0)
	return ps
}

// AHPGroupInput is the input of AHPGroup: the experts' matrices over the
// same elements in the same order, and the method and RI table applied to
// the aggregated matrix (unset: eigenvector and saaty, as in AHPInput).
type AHPGroupInput struct {
	Matrices []PairwiseMatrix `json:"matrices"`
	Method   AHPMethod        `json:"method,omitzero"`
	RITable  RITable          `json:"ri_table,omitzero"`
}

// AHPGroupResult is the outcome of AHPGroup.
type AHPGroupResult struct {
	// Experts is the number of matrices aggregated.
	Experts int `json:"experts"`
	// Matrix is the aggregated judgment matrix.
	Matrix PairwiseMatrix `json:"matrix"`
	// Result is AHP on the aggregated matrix.
	Result AHPResult `json:"result"`
	// Explanation states the aggregation; Result has its own explanation.
	Explanation Explanation `json:"explanation"`
}

// AHPGroup aggregates several experts' pairwise matrices by the
// element-wise geometric mean (群组层次分析法, aggregation of individual
// judgments) and runs AHP on the result. For each pair i < j the mean
// g = (Π_k a_ij⁽ᵏ⁾)^(1/K) is computed in float64; the entry of the pair that
// is ≥ 1 is cut half-up to AHPGroupScale places and its mirror is set to the
// exact reciprocal, so the aggregated matrix is reciprocal by construction
// and stays on Saaty's scale. Invalid matrices are reported with paths such
// as "matrices[2][0][1]".
func AHPGroup(in AHPGroupInput) (AHPGroupResult, error) {
	const op = "riskeval.AHPGroup"
	method, table, ps := ahpOptions(in.Method, in.RITable)
	switch {
	case len(in.Matrices) == 0:
		ps.Add("ahp.group.empty", "matrices", "at least one expert matrix is required")
	case len(in.Matrices) > AHPMaxExperts:
		ps.Add("ahp.group.too_many", "matrices", "at most %d expert matrices are accepted, got %d", AHPMaxExperts, len(in.Matrices))
	default:
		n := len(in.Matrices[0])
		for k, m := range in.Matrices {
			p := ssra.Index("matrices", k)
			mps := m.validate(p)
			ps = append(ps, mps...)
			if k > 0 && len(m) != n && !mps.HasErrors() {
				ps.Add("ahp.group.order_mismatch", p, "matrix %d has order %d but matrix 0 has order %d", k, len(m), n)
			}
		}
	}
	if err := ps.Err(op); err != nil {
		return AHPGroupResult{}, err
	}
	agg, e := ahpAggregate(in.Matrices)
	r, _, err := ahpCompute(agg, method, table, "matrix")
	if err != nil {
		return AHPGroupResult{}, ssra.Wrap(ssra.KindInternal, op, err, "AHP computation failed")
	}
	return AHPGroupResult{Experts: len(in.Matrices), Matrix: agg, Result: r, Explanation: e}, nil
}

func ahpAggregate(ms []PairwiseMatrix) (PairwiseMatrix, Explanation) {
	var e Explanation
	n, k := len(ms[0]), len(ms)
	e.Addf("ahp.group.method", "%d expert matrices of order %d aggregated by the element-wise geometric mean a_ij = (Π_k a_ij^(k))^(1/%d), computed in float64 as exp of the mean of ln; for each pair the entry ≥ 1 is cut half-up to %d places and its mirror is its exact reciprocal, so the matrix is reciprocal by construction.", k, n, k, AHPGroupScale)
	out := make(PairwiseMatrix, n)
	for i := range out {
		out[i] = make([]ssra.Fraction, n)
		out[i][i] = ssra.FractionOf(decOne)
	}
	nine := decimal.NewFromInt(9)
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			l := 0.0
			for _, m := range ms {
				l += math.Log(m[i][j].Float64())
			}
			l /= float64(k)
			hi, lo := i, j // hi gets the entry ≥ 1
			if l < 0 {
				hi, lo, l = j, i, -l
			}
			g := decimal.NewFromFloat(math.Exp(l)).Round(AHPGroupScale)
			if g.LessThan(decOne) {
				g = decOne
			}
			if g.GreaterThan(nine) {
				g = nine
			}
			out[hi][lo] = ssra.FractionOf(g)
			if g.Equal(decOne) {
				out[lo][hi] = ssra.FractionOf(decOne)
			} else {
				out[lo][hi] = ssra.Fraction{Num: decOne, Den: g}
			}
		}
	}
	for i, row := range out {
		cells := make([]string, n)
		for j, c := range row {
			cells[j] = c.String()
		}
		e.Addf("ahp.group.row", "Aggregated row %d: %s.", i, strings.Join(cells, ", "))
	}
	return out, e
}

// DecodeAHPGroupInput decodes an AHPGroupInput strictly (unknown fields,
// trailing data and malformed judgments are errors) and returns an
// *ssra.Error of KindInvalid whose paths name the expert matrix, such as
// "matrices[2][0][1]".
func DecodeAHPGroupInput(data []byte) (AHPGroupInput, error) {
	const op = "riskeval.DecodeAHPGroupInput"
	var raw struct {
		Matrices []json.RawMessage `json:"matrices"`
		Method   *AHPMethod        `json:"method"`
		RITable  *RITable          `json:"ri_table"`
	}
	if err := strictjson.Decode(data, &raw, op); err != nil {
		return AHPGroupInput{}, err
	}
	var in AHPGroupInput
	var ps ssra.Problems
	if len(raw.Matrices) > AHPMaxExperts {
		ps.Add("ahp.group.too_many", "matrices", "at most %d expert matrices are accepted, got %d", AHPMaxExperts, len(raw.Matrices))
		return AHPGroupInput{}, ps.Err(op)
	}
	for k, rm := range raw.Matrices {
		m, mps := decodePairwise(rm, ssra.Index("matrices", k))
		ps = append(ps, mps...)
		in.Matrices = append(in.Matrices, m)
	}
	if raw.Method != nil {
		in.Method = *raw.Method
	}
	if raw.RITable != nil {
		in.RITable = *raw.RITable
	}
	if err := ps.Err(op); err != nil {
		return AHPGroupInput{}, err
	}
	return in, nil
}

// DecodeAHPHierarchyInput decodes an AHPHierarchyInput strictly (unknown
// fields, trailing data and malformed judgments are errors) and returns an
// *ssra.Error of KindInvalid whose paths name the node, such as
// "root.children[1].matrix[0][2]".
func DecodeAHPHierarchyInput(data []byte) (AHPHierarchyInput, error) {
	const op = "riskeval.DecodeAHPHierarchyInput"
	var raw struct {
		Root    json.RawMessage `json:"root"`
		Method  *AHPMethod      `json:"method"`
		RITable *RITable        `json:"ri_table"`
	}
	if err := strictjson.Decode(data, &raw, op); err != nil {
		return AHPHierarchyInput{}, err
	}
	var in AHPHierarchyInput
	var ps ssra.Problems
	count := 0
	in.Root = decodeAHPNode(raw.Root, "root", 0, &count, &ps)
	if raw.Method != nil {
		in.Method = *raw.Method
	}
	if raw.RITable != nil {
		in.RITable = *raw.RITable
	}
	if err := ps.Err(op); err != nil {
		return AHPHierarchyInput{}, err
	}
	return in, nil
}

func decodeAHPNode(b json.RawMessage, path string, depth int, count *int, ps *ssra.Problems) AHPNode {
	*count++
	if *count > AHPMaxNodes {
		if *count == AHPMaxNodes+1 {
			ps.Add("ahp.hierarchy.too_many_nodes", "root", "the hierarchy has more than %d nodes", AHPMaxNodes)
		}
		return AHPNode{}
	}
	if depth > AHPMaxDepth {
		ps.Add("ahp.hierarchy.too_deep", path, "the hierarchy is deeper than %d levels", AHPMaxDepth)
		return AHPNode{}
	}
	var raw struct {
		ID       string            `json:"id"`
		Matrix   json.RawMessage   `json:"matrix"`
		Children []json.RawMessage `json:"children"`
	}
	if b == nil {
		ps.Add("ahp.hierarchy.missing", path, "the node is required")
		return AHPNode{}
	}
	if err := strictjson.Decode(b, &raw, ""); err != nil {
		for _, p := range ssra.ProblemsOf(err) {
			p.Field = ssra.JoinPath(path, p.Field)
			*ps = append(*ps, p)
		}
		return AHPNode{}
	}
	n := AHPNode{ID: raw.ID}
	if raw.Matrix != nil && string(raw.Matrix) != "null" {
		m, mps := decodePairwise(raw.Matrix, ssra.JoinPath(path, "matrix"))
		*ps = append(*ps, mps...)
		n.Matrix = m
	}
	for i, c := range raw.Children {
		n.Children = append(n.Children, decodeAHPNode(c, ssra.Index(ssra.JoinPath(path, "children"), i), depth+1, count, ps))
	}
	return n
}
