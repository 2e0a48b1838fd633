// Package stability implements the social-stability work plan and its
// casework (维稳工作计划与矛盾纠纷、信访办理): statutory deadlines counted on
// working-day calendars, the letters-and-visits (信访) complaint workflow,
// dispute mediation (矛盾纠纷排查调处) with judicial confirmation, and the plan
// with its targets, responsibilities and acceptance check (验收).
//
// Deadlines. Time limits are data: a Profile lists Rules, each opened by an
// event, counted in calendar days, working days or months from the day
// after the event (the start day is not counted), moved off a rest day to
// the next working day when counted in calendar days, with stop-the-clock
// periods excluded where the rule says so and extensions bounded by the
// rule. Presets: "xinfang2022", "xinfang2005", "zhejiang2016" and
// "mediation2010". Deadlines is the stateless computation; every Deadline
// names its rule, profile and legal basis and lists its steps. Deadlines
// are counted on the ssra.Calendar the caller passes, usually
// ssra.StateCouncilCalendar (the official holidays and make-up working days
// 2015–2026); a count that reaches days the calendar does not cover carries
// the warning calendar.not_covered instead of guessing.
//
// Casework. Complaint and Dispute are state machines whose methods take the
// time and the actor, refuse disallowed transitions with an *ssra.Error of
// KindConflict, KindInvalid or KindForbidden carrying a stable code, record
// an event and recompute the deadlines. Redact returns a case as a given
// viewer may see it: the person or unit complained about never sees who
// complained or what they submitted. Overdue, DueSoon and DueIndex answer
// deadline queries over many cases at a given time.
//
// Boundary. The package measures handling (on-time rates per statutory
// limit, satisfaction with the handling, agreements reached and performed),
// never the number of complaints filed or escalated, and it keeps no list
// or profile of members of the public.
//
// The package is pure: it reads no clock and no random source (callers pass
// now and an io.Reader), does no I/O and holds no global mutable state.
package stability
