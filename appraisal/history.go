package appraisal

import (
	"fmt"

	"github.com/ssra-go/ssra"
)

// YearGrade is a person's final grade in one year.
type YearGrade struct {
	// Year is the appraisal year.
	Year int `json:"year"`
	// Grade is the final grade that year (no_grade for a comment only).
	Grade StaffGrade `json:"grade"`
}

// ConsequenceKind is what an annual grade, or a run of them, leads to.
type ConsequenceKind uint8

// The consequences.
const (
	// Commendation (嘉奖): 优秀 that year (2020 provisions Art 19) [practice].
	Commendation ConsequenceKind = iota + 1
	// ThirdClassMerit (三等功): 优秀 three years running (Art 19) [practice].
	ThirdClassMerit
	// SalaryStep (晋升一个工资档次): 称职 or better in 2 years, cumulative (Art 20).
	SalaryStep
	// GradeStep (晋升一个级别): 称职 or better in 5 years, cumulative (Art 20).
	GradeStep
	// Admonishment (诫勉): 基本称职; the year does not count (Art 21).
	Admonishment
	// NoYearEndBonus: only 优秀 and 称职 earn the year-end bonus (Civil
	// Servant Law Art 80).
	NoYearEndBonus
	// Demotion (降低一个职务或者职级层次): 不称职 (Civil Servant Law Art 50).
	Demotion
	// Dismissal (辞退): 不称职 two years running (Civil Servant Law Art 88).
	Dismissal
	// ContractTermination (解除聘用合同): public-institution staff 不合格 two
	// years running; the unit may end the contract with 30 days' written
	// notice (事业单位人事管理条例 Art 16).
	ContractTermination
)

var consequenceKinds = ssra.NewEnum[ConsequenceKind]("consequence",
	ssra.M("commendation", "嘉奖", "commendation"),
	ssra.M("third_class_merit", "三等功", "third-class merit"),
	ssra.M("salary_step", "晋升一个工资档次", "salary step"),
	ssra.M("grade_step", "晋升一个级别", "grade step"),
	ssra.M("admonishment", "诫勉", "admonishment"),
	ssra.M("no_year_end_bonus", "不发年终奖金", "no year-end bonus"),
	ssra.M("demotion", "降低一个职务或者职级层次", "demotion"),
	ssra.M("dismissal", "辞退", "dismissal"),
	ssra.M("contract_termination", "解除聘用合同", "contract termination"),
)

// String returns the consequence's snake_case name.
func (k ConsequenceKind) String() string { return consequenceKinds.String(k) }

// Valid reports whether k is a consequence.
func (k ConsequenceKind) Valid() bool { return consequenceKinds.Valid(k) }

// Label returns the consequence's name for people in lang.
func (k ConsequenceKind) Label(lang ssra.Lang) string { return consequenceKinds.Label(k, lang) }

// MarshalText encodes the consequence as its name and refuses an unset one.
func (k ConsequenceKind) MarshalText() ([]byte, error) { return consequenceKinds.MarshalText(k) }

// UnmarshalText decodes a consequence name and rejects unknown text.
func (k *ConsequenceKind) UnmarshalText(b []byte) error { return consequenceKinds.UnmarshalText(k, b) }

// Consequence is one effect of the appraisal history in a year, with the
// rule that produced it.
type Consequence struct {
	// Year is the year the consequence follows.
	Year int `json:"year"`
	// Kind is the consequence.
	Kind ConsequenceKind `json:"kind"`
	// Why names the grades and the rule.
	Why string `json:"why"`
}

// Consequences derives the effects of a person's annual grades, year by
// year. Years must rise strictly; a missing year breaks every run of
// consecutive years. Counting rules: a year of 优秀 or 称职 counts towards
// the cumulative salary step (every 2) and grade (every 5) and the counter
// starts again after each step; 优秀 three years running gives 三等功 and the
// run starts again; 基本称职 and no-grade years do not count and break runs.
// For public institutions only the year-end bonus and the contract rule
// apply: the civil-servant steps are not theirs.
func Consequences(set GradeSet, history []YearGrade) ([]Consequence, error) {
	var ps ssra.Problems
	if set == 0 {
		ps.Add("history.grade_set_missing", "grade_set", "grade set is missing")
	}
	for i, y := range history {
		p := ssra.Index("history", i)
		if y.Grade == 0 {
			ps.Add("history.grade_missing", ssra.JoinPath(p, "grade"), "grade is missing")
		}
		if i > 0 && y.Year <= history[i-1].Year {
			ps.Add("history.year_order", ssra.JoinPath(p, "year"), "year %d does not follow %d", y.Year, history[i-1].Year)
		}
	}
	if err := ps.Err("appraisal.Consequences"); err != nil {
		return nil, err
	}
	var out []Consequence
	add := func(y int, k ConsequenceKind, format string, args ...any) {
		out = append(out, Consequence{Year: y, Kind: k, Why: fmt.Sprintf(format, args...)})
	}
	excellentRun, incompetentRun, salary, grade := 0, 0, 0, 0
	prevYear := 0
	for i, y := range history {
		if i > 0 && y.Year != prevYear+1 {
			excellentRun, incompetentRun = 0, 0
		}
		prevYear = y.Year
		civil := set == CivilServants
		switch y.Grade {
		case Excellent, Competent:
			incompetentRun = 0
			if y.Grade == Excellent {
				excellentRun++
			} else {
				excellentRun = 0
			}
			if !civil {
				break
			}
			if y.Grade == Excellent {
				add(y.Year, Commendation, "优秀 in %d: commendation (嘉奖)", y.Year)
				if excellentRun == 3 {
					add(y.Year, ThirdClassMerit, "优秀 in %d, %d and %d: third-class merit (三等功)", y.Year-2, y.Year-1, y.Year)
					excellentRun = 0
				}
			}
			salary++
			grade++
			if salary == 2 {
				add(y.Year, SalaryStep, "称职 or better in 2 years (cumulative, up to %d): one salary step", y.Year)
				salary = 0
			}
			if grade == 5 {
				add(y.Year, GradeStep, "称职 or better in 5 years (cumulative, up to %d): one grade (级别)", y.Year)
				grade = 0
			}
		case BasicallyCompetent:
			excellentRun, incompetentRun = 0, 0
			if civil {
				add(y.Year, Admonishment, "基本称职 in %d: admonishment (诫勉); the year does not count for salary step, grade or promotion", y.Year)
			}
			add(y.Year, NoYearEndBonus, "%s in %d: only 优秀 and %s earn the year-end bonus", y.Grade.LabelIn(set).ZH, y.Year, Competent.LabelIn(set).ZH)
		case Incompetent:
			excellentRun = 0
			incompetentRun++
			if civil {
				add(y.Year, Demotion, "不称职 in %d: demoted one post or rank level", y.Year)
			}
			add(y.Year, NoYearEndBonus, "%s in %d: no year-end bonus", y.Grade.LabelIn(set).ZH, y.Year)
			if incompetentRun >= 2 {
				if civil {
					add(y.Year, Dismissal, "不称职 in %d and %d: dismissal (辞退)", y.Year-1, y.Year)
				} else {
					add(y.Year, ContractTermination, "不合格 in %d and %d: the unit may end the contract with 30 days' written notice", y.Year-1, y.Year)
				}
			}
		case NoGrade:
			excellentRun, incompetentRun = 0, 0
		}
	}
	return out, nil
}

// AppealWindows are the time limits for contesting an annual grade of
// 不称职 (Civil Servant Law Art 95): a review (复核) by the original organ
// within 30 days of learning of the decision, then an appeal (申诉) within 15
// days of the review decision; or an appeal directly within 30 days.
type AppealWindows struct {
	// Notified is the day the person learned of the grade.
	Notified ssra.Date `json:"notified"`
	// ReviewBy is the last day to request a review.
	ReviewBy ssra.Date `json:"review_by"`
	// DirectAppealBy is the last day to appeal without a review.
	DirectAppealBy ssra.Date `json:"direct_appeal_by"`
	// ReviewDecided is the date of the review decision, if any.
	ReviewDecided ssra.Date `json:"review_decided,omitempty"`
	// AppealBy is the last day to appeal after the review decision.
	AppealBy ssra.Date `json:"appeal_by,omitempty"`
	// Explanation states each deadline and any move off a rest day.
	Explanation Explanation `json:"explanation"`
}

// Appeal computes the appeal windows from the day the person learned of the
// grade and, when there was a review, the day of its decision. Days are
// counted as elsewhere in the library: the start day is not counted, and a
// deadline falling on a rest day of cal moves to the next working day.
func Appeal(notified, reviewDecided ssra.Date, cal ssra.Calendar) (AppealWindows, error) {
	var ps ssra.Problems
	if notified.IsZero() {
		ps.Add("appeal.notified_missing", "notified", "the day the person learned of the grade is missing")
	}
	if !reviewDecided.IsZero() && !notified.IsZero() && reviewDecided.Before(notified) {
		ps.Add("appeal.review_before_notice", "review_decided", "review decided %s before the notice %s", reviewDecided, notified)
	}
	if err := ps.Err("appraisal.Appeal"); err != nil {
		return AppealWindows{}, err
	}
	w := AppealWindows{Notified: notified, ReviewDecided: reviewDecided}
	deadline := func(from ssra.Date, days int, key, what string) ssra.Date {
		raw := from.AddDays(days)
		d := cal.NextWorkday(raw)
		if d != raw {
			w.Explanation.Addf(key, "%s: %s + %d days = %s, a rest day, moves to %s", what, from, days, raw, d)
		} else {
			w.Explanation.Addf(key, "%s: %s + %d days = %s", what, from, days, d)
		}
		return d
	}
	w.ReviewBy = deadline(notified, 30, "appeal.review", "review request (复核) within 30 days")
	w.DirectAppealBy = deadline(notified, 30, "appeal.direct", "direct appeal (申诉) within 30 days")
	if !reviewDecided.IsZero() {
		w.AppealBy = deadline(reviewDecided, 15, "appeal.after_review", "appeal within 15 days of the review decision")
	}
	return w, nil
}
