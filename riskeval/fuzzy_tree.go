package riskeval

import (
	"strings"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/internal/strictjson"
)

// FuzzyNode is one node of a multi-level fuzzy evaluation (多级模糊综合评价):
// the overall goal at the root, criteria below it, factors at the leaves. A
// leaf carries its membership row (one share per grade); an inner node is
// evaluated from its children, whose Weight values are its weight vector
// and whose rows (a leaf's membership, an inner child's evaluated vector)
// are its membership matrix. The root's Weight is not used and must be
// omitted (zero) or 1.
type FuzzyNode struct {
	ID         string            `json:"id"`
	Weight     decimal.Decimal   `json:"weight"`
	Membership []decimal.Decimal `json:"membership,omitempty"`
	Children   []FuzzyNode       `json:"children,omitempty"`
}

// FuzzyTreeInput is the input of FuzzyMultiLevel: the tree, the comment set,
// optional grade scores, and the operator applied at every level (unset:
// weighted average).
type FuzzyTreeInput struct {
	Root        FuzzyNode         `json:"root"`
	Grades      []string          `json:"grades"`
	GradeScores []decimal.Decimal `json:"grade_scores,omitempty"`
	Operator    FuzzyOperator     `json:"operator,omitzero"`
}

// FuzzyNodeResult is the evaluation of one inner node of the tree.
type FuzzyNodeResult struct {
	ID     string      `json:"id"`
	Path   string      `json:"path"`
	Depth  int         `json:"depth"`
	Result FuzzyResult `json:"result"`
}

// FuzzyTreeResult is the outcome of FuzzyMultiLevel.
type FuzzyTreeResult struct {
	// Overall is the root's evaluation.
	Overall FuzzyResult `json:"overall"`
	// Nodes holds every inner node's evaluation, children before parents
	// (the root last).
	Nodes       []FuzzyNodeResult `json:"nodes"`
	Warnings    ssra.Problems     `json:"warnings,omitempty"`
	Explanation Explanation       `json:"explanation"`
}

// FuzzyMultiLevel performs a multi-level fuzzy comprehensive evaluation
// (domain.md §1.8: factor → criterion → overall). Each inner node is
// evaluated as by Fuzzy from its children; an inner child contributes its
// unrounded normalised vector (b_j / Σ b carried at 24 decimal places, the
// working precision) as its membership row, not the rounded and adjusted
// vector it reports, so that rounding happens once, at the edge (domain.md
// §1.10); the explanation states the working row of every inner child. Invalid
// input returns an *ssra.Error of KindInvalid with paths such as
// "root.children[1].children[0].membership[2]".
func FuzzyMultiLevel(in FuzzyTreeInput) (FuzzyTreeResult, error) {
	const op = "riskeval.FuzzyMultiLevel"
	in.Operator = in.Operator.orDefault()
	ps := fuzzyCheckCommon(in.Grades, in.GradeScores, in.Operator)
	if !in.Root.Weight.IsZero() && !in.Root.Weight.Equal(decOne) {
		ps.Add("fuzzy.root.weight", "root.weight", "the root's weight is not used; omit it or give 1")
	}
	if len(in.Root.Children) == 0 {
		ps.Add("fuzzy.tree.no_children", "root.children", "the root needs at least one child")
	}
	if !ps.HasErrors() {
		ps = append(ps, validateFuzzyTree(in.Root, len(in.Grades))...)
	}
	if err := ps.Err(op); err != nil {
		return FuzzyTreeResult{}, err
	}
	var res FuzzyTreeResult
	res.Explanation.Addf("fuzzy.tree.input", "Multi-level evaluation rooted at %q over grades %s with operator %s at every level; an inner node's row in its parent is its unrounded normalised vector (b_j / Σ b at %d places), not its rounded, adjusted vector, so each reported figure is rounded once.", in.Root.ID, strings.Join(in.Grades, ", "), in.Operator, fuzzyWorkScale)
	var eval func(n FuzzyNode, path string, depth int) (FuzzyResult, []decimal.Decimal, error)
	eval = func(n FuzzyNode, path string, depth int) (FuzzyResult, []decimal.Decimal, error) {
		ws := make([]decimal.Decimal, len(n.Children))
		rs := make([][]decimal.Decimal, len(n.Children))
		for i, c := range n.Children {
			ws[i] = c.Weight
			if len(c.Children) == 0 {
				rs[i] = c.Membership
				continue
			}
			_, work, err := eval(c, ssra.Index(ssra.JoinPath(path, "children"), i), depth+1)
			if err != nil {
				return FuzzyResult{}, nil, err
			}
			rs[i] = work
			res.Explanation.Addf("fuzzy.tree.row", "%s: the row of %q is its unrounded normalised vector %s.", n.ID, c.ID, joinDec(work))
		}
		r, work, err := fuzzyCompose(ws, rs, in.Grades, in.GradeScores, in.Operator, n.ID)
		if err != nil {
			return FuzzyResult{}, nil, err
		}
		res.Nodes = append(res.Nodes, FuzzyNodeResult{ID: n.ID, Path: path, Depth: depth, Result: r})
		res.Explanation = append(res.Explanation, r.Explanation...)
		for _, w := range r.Warnings {
			w.Field = path
			res.Warnings = append(res.Warnings, w)
		}
		return r, work, nil
	}
	overall, _, err := eval(in.Root, "root", 0)
	if err != nil {
		return FuzzyTreeResult{}, ssra.Wrap(ssra.KindInternal, op, err, "fuzzy composition failed")
	}
	res.Overall = overall
	return res, nil
}

func validateFuzzyTree(root FuzzyNode, k int) ssra.Problems {
	var ps ssra.Problems
	count := 0
	var walk func(n FuzzyNode, path string, depth int)
	walk = func(n FuzzyNode, path string, depth int) {
		count++
		if count > FuzzyMaxFactors {
			if count == FuzzyMaxFactors+1 {
				ps.Add("fuzzy.tree.too_many_nodes", "root", "the tree has more than %d nodes", FuzzyMaxFactors)
			}
			return
		}
		if strings.TrimSpace(n.ID) == "" {
			ps.Add("fuzzy.tree.id_missing", ssra.JoinPath(path, "id"), "every node needs an id")
		}
		if len(n.Children) == 0 {
			if depth == 0 {
				return
			}
			if n.Membership == nil {
				ps.Add("fuzzy.tree.leaf_membership", ssra.JoinPath(path, "membership"), "a leaf needs its membership row")
				return
			}
			fuzzyCheckRow(&ps, n.Membership, k, ssra.JoinPath(path, "membership"))
			return
		}
		if n.Membership != nil {
			ps.Add("fuzzy.tree.inner_membership", ssra.JoinPath(path, "membership"), "an inner node is evaluated from its children and takes no membership row")
		}
		if depth >= FuzzyMaxDepth {
			ps.Add("fuzzy.tree.too_deep", path, "the tree is deeper than %d levels", FuzzyMaxDepth)
			return
		}
		cp := ssra.JoinPath(path, "children")
		ws := make([]decimal.Decimal, len(n.Children))
		seen := map[string]int{}
		for i, c := range n.Children {
			ws[i] = c.Weight
			if j, ok := seen[c.ID]; ok && c.ID != "" {
				ps.Add("fuzzy.tree.duplicate_id", ssra.JoinPath(ssra.Index(cp, i), "id"), "id %q repeats sibling %d", c.ID, j)
			}
			seen[c.ID] = i
		}
		var wps ssra.Problems
		checkWeightVector(&wps, cp, "fuzzy.weights", ws, fuzzyWeightTolerance)
		for _, p := range wps {
			// Point element problems at the child's weight field.
			if strings.HasPrefix(p.Field, cp+"[") {
				p.Field += ".weight"
			}
			ps = append(ps, p)
		}
		for i, c := range n.Children {
			walk(c, ssra.Index(cp, i), depth+1)
		}
	}
	walk(root, "root", 0)
	return ps
}

// DecodeFuzzyTreeInput decodes a FuzzyTreeInput strictly (unknown fields
// and trailing data are errors) and returns an *ssra.Error of KindInvalid.
func DecodeFuzzyTreeInput(data []byte) (FuzzyTreeInput, error) {
	var in FuzzyTreeInput
	if err := strictjson.Decode(data, &in, "riskeval.DecodeFuzzyTreeInput"); err != nil {
		return FuzzyTreeInput{}, err
	}
	return in, nil
}
