package stability

import "github.com/ssra-go/ssra"

// DayUnit is how a time limit is counted.
type DayUnit uint8

// The day units.
const (
	// CalendarDays counts every day (日).
	CalendarDays DayUnit = iota + 1
	// WorkingDays counts working days (工作日) of the supplied calendar.
	WorkingDays
	// Months counts calendar months (月): the limit ends on the same day of the month, or the month's last day.
	Months
)

var dayUnits = ssra.NewEnum[DayUnit]("day unit",
	ssra.M("calendar_days", "日", "calendar days"),
	ssra.M("working_days", "工作日", "working days"),
	ssra.M("months", "月", "months"),
)

// String returns the day unit's snake_case name.
func (v DayUnit) String() string { return dayUnits.String(v) }

// Valid reports whether v is a day unit.
func (v DayUnit) Valid() bool { return dayUnits.Valid(v) }

// Label returns the day unit's name for people in lang.
func (v DayUnit) Label(lang ssra.Lang) string { return dayUnits.Label(v, lang) }

// MarshalText encodes the day unit as its name and refuses an unset one.
func (v DayUnit) MarshalText() ([]byte, error) { return dayUnits.MarshalText(v) }

// UnmarshalText decodes a day unit name and rejects unknown text.
func (v *DayUnit) UnmarshalText(b []byte) error { return dayUnits.UnmarshalText(v, b) }

// Obligation says who a time limit binds.
type Obligation uint8

// The obligations.
const (
	// Duty binds the handling body: it must act by the deadline; on-time rates count duties.
	Duty Obligation = iota + 1
	// Window is a period in which a party may act (for example request a review); after it the act is refused.
	Window
)

var obligations = ssra.NewEnum[Obligation]("obligation",
	ssra.M("duty", "办理时限", "duty"),
	ssra.M("window", "期间", "window"),
)

// String returns the obligation's snake_case name.
func (v Obligation) String() string { return obligations.String(v) }

// Valid reports whether v is an obligation.
func (v Obligation) Valid() bool { return obligations.Valid(v) }

// Label returns the obligation's name for people in lang.
func (v Obligation) Label(lang ssra.Lang) string { return obligations.Label(v, lang) }

// MarshalText encodes the obligation as its name and refuses an unset one.
func (v Obligation) MarshalText() ([]byte, error) { return obligations.MarshalText(v) }

// UnmarshalText decodes an obligation name and rejects unknown text.
func (v *Obligation) UnmarshalText(b []byte) error { return obligations.UnmarshalText(v, b) }

// EventKind is something that happens to a case; events open and close deadlines.
type EventKind uint8

// The event kinds.
const (
	// EventRegistered is the registration of a complaint (登记).
	EventRegistered EventKind = iota + 1
	// EventRouted is the transfer or assignment of a complaint to the competent organ (转送/交办).
	EventRouted
	// EventNotified is a written notice served on the complainant (书面告知): receipt, acceptance, where the item was routed.
	EventNotified
	// EventTransferReceived is the receipt of a transferred or assigned complaint by the receiving organ.
	EventTransferReceived
	// EventTransferObjected is the receiving organ's objection that a transferred matter is outside its remit.
	EventTransferObjected
	// EventAccepted is the acceptance of a complaint (受理).
	EventAccepted
	// EventReferred is the closing of a complaint by telling the complainant which organ to go to (告知).
	EventReferred
	// EventDiverted is the closing of a complaint by diverting it to litigation, arbitration, reconsideration or discipline bodies.
	EventDiverted
	// EventInvestigating is the start of the investigation (调查核实).
	EventInvestigating
	// EventExtended is the approved extension of the handling limit (延期).
	EventExtended
	// EventAnswered is the service of the written handling opinion (处理意见书).
	EventAnswered
	// EventReviewRequested is the complainant's request for review (复查).
	EventReviewRequested
	// EventReviewed is the service of the review opinion.
	EventReviewed
	// EventRereviewRequested is the complainant's request for re-review (复核).
	EventRereviewRequested
	// EventRereviewed is the service of the re-review opinion.
	EventRereviewed
	// EventClosed is the closing of a case (终结).
	EventClosed
	// EventPaused is a stop-the-clock period (hearing, appraisal) entered on a case.
	EventPaused
	// EventSupervised is the side mark for supervision (督办).
	EventSupervised
	// EventEscalated is the side mark for a report to a higher level, or a dispute reported as liable to escalate.
	EventEscalated
	// EventOfficerAssigned is the naming of the case officer (承办人).
	EventOfficerAssigned
	// EventRecused is the recusal of a staff member with an interest (回避).
	EventRecused
	// EventRated is the complainant's or party's rating of the handling (评价).
	EventRated
	// EventIntake is the registration of a dispute for mediation (受理申请).
	EventIntake
	// EventDeclined is a party's refusal of mediation, which stops it from starting or going on.
	EventDeclined
	// EventMediatorAssigned is the designation or choice of a mediator.
	EventMediatorAssigned
	// EventMediationStarted is the start of people's or administrative mediation (normally concluded within one month).
	EventMediationStarted
	// EventDelegatedMediationStarted is the start of court-delegated mediation before filing (委派调解).
	EventDelegatedMediationStarted
	// EventEntrustedMediationStarted is the start of court-entrusted mediation after filing, ordinary procedure (委托调解).
	EventEntrustedMediationStarted
	// EventEntrustedSimplifiedStarted is the start of court-entrusted mediation after filing, simplified procedure.
	EventEntrustedSimplifiedStarted
	// EventEndedByParty is a party ending the mediation, as is their right.
	EventEndedByParty
	// EventTerminated is the termination of a mediation without agreement, the parties told their other routes.
	EventTerminated
	// EventAgreementEffective is a mediation agreement taking effect (调解协议生效).
	EventAgreementEffective
	// EventPerformanceStarted is the start of performance of an agreement under supervision.
	EventPerformanceStarted
	// EventPerformed is the full performance of an agreement.
	EventPerformed
	// EventConfirmationFiled is the parties' joint application for judicial confirmation (司法确认).
	EventConfirmationFiled
	// EventConfirmed is the court's confirmation of the agreement.
	EventConfirmed
	// EventConfirmationRefused is the court's refusal to confirm the agreement.
	EventConfirmationRefused
	// EventHandedOver is the hand-over of a dispute to another mediation channel.
	EventHandedOver
	// EventLeaderAssigned is the naming or change of the leader responsible for a case (领导包案).
	EventLeaderAssigned
	// EventLeaderReleased is the end of a leader's responsibility for a case.
	EventLeaderReleased
	// EventRecusalEnded is the head's undoing of a recusal, with the reason.
	EventRecusalEnded
)

var eventKinds = ssra.NewEnum[EventKind]("event kind",
	ssra.M("registered", "登记", "registered"),
	ssra.M("routed", "转送交办", "routed"),
	ssra.M("notified", "书面告知", "notified"),
	ssra.M("transfer_received", "接收转送交办事项", "transfer received"),
	ssra.M("transfer_objected", "对转送交办事项提出异议", "transfer objected to"),
	ssra.M("accepted", "受理", "accepted"),
	ssra.M("referred", "告知向有权机关提出", "referred"),
	ssra.M("diverted", "导入法定程序", "diverted"),
	ssra.M("investigating", "调查核实", "investigation started"),
	ssra.M("extended", "延期", "limit extended"),
	ssra.M("answered", "出具处理意见书", "answered"),
	ssra.M("review_requested", "请求复查", "review requested"),
	ssra.M("reviewed", "出具复查意见", "reviewed"),
	ssra.M("rereview_requested", "请求复核", "re-review requested"),
	ssra.M("rereviewed", "出具复核意见", "re-reviewed"),
	ssra.M("closed", "终结", "closed"),
	ssra.M("paused", "中止计时", "clock paused"),
	ssra.M("supervised", "督办", "supervised"),
	ssra.M("escalated", "上报", "escalated"),
	ssra.M("officer_assigned", "指定承办人", "officer assigned"),
	ssra.M("recused", "回避", "recused"),
	ssra.M("rated", "评价", "rated"),
	ssra.M("intake", "受理调解申请", "intake"),
	ssra.M("declined", "拒绝调解", "mediation declined"),
	ssra.M("mediator_assigned", "指定调解员", "mediator assigned"),
	ssra.M("mediation_started", "开始调解", "mediation started"),
	ssra.M("delegated_mediation_started", "开始委派调解", "delegated mediation started"),
	ssra.M("entrusted_mediation_started", "开始委托调解", "entrusted mediation started"),
	ssra.M("entrusted_simplified_started", "开始委托调解（简易程序）", "entrusted mediation started (simplified procedure)"),
	ssra.M("ended_by_party", "当事人终止调解", "ended by a party"),
	ssra.M("terminated", "调解终止", "terminated"),
	ssra.M("agreement_effective", "调解协议生效", "agreement effective"),
	ssra.M("performance_started", "开始履行协议", "performance started"),
	ssra.M("performed", "协议履行完毕", "performed"),
	ssra.M("confirmation_filed", "申请司法确认", "judicial confirmation requested"),
	ssra.M("confirmed", "司法确认", "confirmed"),
	ssra.M("confirmation_refused", "不予确认", "confirmation refused"),
	ssra.M("handed_over", "移交其他调解渠道", "handed over"),
	ssra.M("leader_assigned", "领导包案", "leader assigned"),
	ssra.M("leader_released", "解除领导包案", "leader released"),
	ssra.M("recusal_ended", "撤销回避", "recusal ended"),
)

// String returns the event kind's snake_case name.
func (v EventKind) String() string { return eventKinds.String(v) }

// Valid reports whether v is an event kind.
func (v EventKind) Valid() bool { return eventKinds.Valid(v) }

// Label returns the event kind's name for people in lang.
func (v EventKind) Label(lang ssra.Lang) string { return eventKinds.Label(v, lang) }

// MarshalText encodes the event kind as its name and refuses an unset one.
func (v EventKind) MarshalText() ([]byte, error) { return eventKinds.MarshalText(v) }

// UnmarshalText decodes an event kind name and rejects unknown text.
func (v *EventKind) UnmarshalText(b []byte) error { return eventKinds.UnmarshalText(v, b) }

// Status is the state of a complaint (信访事项) in its workflow.
type Status uint8

// The statuses.
const (
	// StatusRegistered is a complaint registered and not yet routed or accepted (登记).
	StatusRegistered Status = iota + 1
	// StatusRouted is a complaint transferred or assigned to the competent organ, awaiting its acceptance (转送/交办).
	StatusRouted
	// StatusAccepted is a complaint accepted for handling (受理).
	StatusAccepted
	// StatusReferred is a complaint closed by telling the complainant which organ to go to.
	StatusReferred
	// StatusDiverted is a complaint closed by diversion to a legal procedure or discipline body.
	StatusDiverted
	// StatusInvestigating is a complaint under investigation (调查核实).
	StatusInvestigating
	// StatusExtended is a complaint whose handling limit was extended (延期).
	StatusExtended
	// StatusAnswered is a complaint with a served handling opinion (已答复).
	StatusAnswered
	// StatusReviewRequested is a complaint whose complainant asked for review (复查).
	StatusReviewRequested
	// StatusReviewed is a complaint with a served review opinion.
	StatusReviewed
	// StatusRereviewRequested is a complaint whose complainant asked for re-review (复核).
	StatusRereviewRequested
	// StatusRereviewed is a complaint with a served re-review opinion; the same facts are not accepted again.
	StatusRereviewed
	// StatusClosed is a concluded complaint (终结).
	StatusClosed
)

var statuses = ssra.NewEnum[Status]("status",
	ssra.M("registered", "已登记", "registered"),
	ssra.M("routed", "已转送交办", "routed to the competent organ"),
	ssra.M("accepted", "已受理", "accepted"),
	ssra.M("referred", "已告知向有权机关提出", "referred to the competent organ"),
	ssra.M("diverted", "已导入法定程序", "diverted to a legal procedure"),
	ssra.M("investigating", "调查核实中", "under investigation"),
	ssra.M("extended", "已延期办理", "handling limit extended"),
	ssra.M("answered", "已出具处理意见", "answered"),
	ssra.M("review_requested", "复查中", "under review"),
	ssra.M("reviewed", "已出具复查意见", "reviewed"),
	ssra.M("rereview_requested", "复核中", "under re-review"),
	ssra.M("rereviewed", "已出具复核意见", "re-reviewed"),
	ssra.M("closed", "已办结", "closed"),
)

// String returns the status's snake_case name.
func (v Status) String() string { return statuses.String(v) }

// Valid reports whether v is a status.
func (v Status) Valid() bool { return statuses.Valid(v) }

// Label returns the status's name for people in lang.
func (v Status) Label(lang ssra.Lang) string { return statuses.Label(v, lang) }

// MarshalText encodes the status as its name and refuses an unset one.
func (v Status) MarshalText() ([]byte, error) { return statuses.MarshalText(v) }

// UnmarshalText decodes a status name and rejects unknown text.
func (v *Status) UnmarshalText(b []byte) error { return statuses.UnmarshalText(v, b) }

// DisputeStatus is the state of a dispute in mediation (矛盾纠纷调处).
type DisputeStatus uint8

// The dispute statuses.
const (
	// DisputeIntake is a dispute registered for mediation.
	DisputeIntake DisputeStatus = iota + 1
	// DisputeDeclined is a dispute whose mediation a party refused; it does not start or stops.
	DisputeDeclined
	// DisputeAssigned is a dispute with a designated mediator.
	DisputeAssigned
	// DisputeMediating is a dispute in mediation.
	DisputeMediating
	// DisputeAgreement is a dispute settled by an effective mediation agreement (调解协议).
	DisputeAgreement
	// DisputeTerminated is a mediation ended without agreement, the parties told their other routes.
	DisputeTerminated
	// DisputePerforming is an agreement being performed under supervision.
	DisputePerforming
	// DisputeConfirmationRequested is an agreement awaiting judicial confirmation (司法确认).
	DisputeConfirmationRequested
	// DisputeConfirmed is an agreement confirmed by the court.
	DisputeConfirmed
	// DisputeRefused is an agreement the court refused to confirm.
	DisputeRefused
)

var disputeStatuses = ssra.NewEnum[DisputeStatus]("dispute status",
	ssra.M("intake", "已受理申请", "registered for mediation"),
	ssra.M("declined", "当事人拒绝调解", "a party declined mediation"),
	ssra.M("assigned", "已指定调解员", "mediator assigned"),
	ssra.M("mediating", "调解中", "in mediation"),
	ssra.M("agreement", "已达成调解协议", "agreement reached"),
	ssra.M("terminated", "调解终止", "mediation ended without agreement"),
	ssra.M("performing", "协议履行中", "agreement being performed"),
	ssra.M("confirmation_requested", "已申请司法确认", "judicial confirmation requested"),
	ssra.M("confirmed", "已司法确认", "judicially confirmed"),
	ssra.M("refused", "不予确认", "confirmation refused"),
)

// String returns the dispute status's snake_case name.
func (v DisputeStatus) String() string { return disputeStatuses.String(v) }

// Valid reports whether v is a dispute status.
func (v DisputeStatus) Valid() bool { return disputeStatuses.Valid(v) }

// Label returns the dispute status's name for people in lang.
func (v DisputeStatus) Label(lang ssra.Lang) string { return disputeStatuses.Label(v, lang) }

// MarshalText encodes the dispute status as its name and refuses an unset one.
func (v DisputeStatus) MarshalText() ([]byte, error) { return disputeStatuses.MarshalText(v) }

// UnmarshalText decodes a dispute status name and rejects unknown text.
func (v *DisputeStatus) UnmarshalText(b []byte) error { return disputeStatuses.UnmarshalText(v, b) }

// Channel is the way a complaint arrived (信访渠道).
type Channel uint8

// The channels.
const (
	// ChannelOnline is the online channel (信息网络).
	ChannelOnline Channel = iota + 1
	// ChannelLetter is a letter (书信).
	ChannelLetter
	// ChannelPhone is a phone call (电话).
	ChannelPhone
	// ChannelFax is a fax (传真).
	ChannelFax
	// ChannelVisit is an in-person visit (走访).
	ChannelVisit
	// ChannelEmail is e-mail (电子邮件), a channel of the 2005 regulation.
	ChannelEmail
)

var channels = ssra.NewEnum[Channel]("channel",
	ssra.M("online", "信息网络", "online"),
	ssra.M("letter", "书信", "letter"),
	ssra.M("phone", "电话", "phone"),
	ssra.M("fax", "传真", "fax"),
	ssra.M("visit", "走访", "visit"),
	ssra.M("email", "电子邮件", "e-mail"),
)

// String returns the channel's snake_case name.
func (v Channel) String() string { return channels.String(v) }

// Valid reports whether v is a channel.
func (v Channel) Valid() bool { return channels.Valid(v) }

// Label returns the channel's name for people in lang.
func (v Channel) Label(lang ssra.Lang) string { return channels.Label(v, lang) }

// MarshalText encodes the channel as its name and refuses an unset one.
func (v Channel) MarshalText() ([]byte, error) { return channels.MarshalText(v) }

// UnmarshalText decodes a channel name and rejects unknown text.
func (v *Channel) UnmarshalText(b []byte) error { return channels.UnmarshalText(v, b) }

// MatterType is the kind of matter a complaint raises (2022 Arts 29–31).
type MatterType uint8

// The matter types.
const (
	// MatterSuggestion is a suggestion or opinion (建议意见类).
	MatterSuggestion MatterType = iota + 1
	// MatterReport is a report or accusation (检举控告类).
	MatterReport
	// MatterClaim is an appeal or claim (申诉求决类).
	MatterClaim
)

var matterTypes = ssra.NewEnum[MatterType]("matter type",
	ssra.M("suggestion", "建议意见类", "suggestion or opinion"),
	ssra.M("report", "检举控告类", "report or accusation"),
	ssra.M("claim", "申诉求决类", "appeal or claim"),
)

// String returns the matter type's snake_case name.
func (v MatterType) String() string { return matterTypes.String(v) }

// Valid reports whether v is a matter type.
func (v MatterType) Valid() bool { return matterTypes.Valid(v) }

// Label returns the matter type's name for people in lang.
func (v MatterType) Label(lang ssra.Lang) string { return matterTypes.Label(v, lang) }

// MarshalText encodes the matter type as its name and refuses an unset one.
func (v MatterType) MarshalText() ([]byte, error) { return matterTypes.MarshalText(v) }

// UnmarshalText decodes a matter type name and rejects unknown text.
func (v *MatterType) UnmarshalText(b []byte) error { return matterTypes.UnmarshalText(v, b) }

// DiversionTarget is the procedure a complaint is diverted to because the matter belongs there.
type DiversionTarget uint8

// The diversion targets.
const (
	// DivertLitigation is a court action (诉讼).
	DivertLitigation DiversionTarget = iota + 1
	// DivertArbitration is arbitration (仲裁).
	DivertArbitration
	// DivertReconsideration is administrative reconsideration (行政复议).
	DivertReconsideration
	// DivertDiscipline is the discipline inspection and supervision bodies (纪检监察).
	DivertDiscipline
)

var diversionTargets = ssra.NewEnum[DiversionTarget]("diversion target",
	ssra.M("litigation", "诉讼", "litigation"),
	ssra.M("arbitration", "仲裁", "arbitration"),
	ssra.M("administrative_reconsideration", "行政复议", "administrative reconsideration"),
	ssra.M("discipline_inspection", "纪检监察", "discipline inspection and supervision"),
)

// String returns the diversion target's snake_case name.
func (v DiversionTarget) String() string { return diversionTargets.String(v) }

// Valid reports whether v is a diversion target.
func (v DiversionTarget) Valid() bool { return diversionTargets.Valid(v) }

// Label returns the diversion target's name for people in lang.
func (v DiversionTarget) Label(lang ssra.Lang) string { return diversionTargets.Label(v, lang) }

// MarshalText encodes the diversion target as its name and refuses an unset one.
func (v DiversionTarget) MarshalText() ([]byte, error) { return diversionTargets.MarshalText(v) }

// UnmarshalText decodes a diversion target name and rejects unknown text.
func (v *DiversionTarget) UnmarshalText(b []byte) error { return diversionTargets.UnmarshalText(v, b) }

// RouteMode says how a complaint is routed to the competent organ.
type RouteMode uint8

// The route modes.
const (
	// RouteTransfer is a transfer (转送).
	RouteTransfer RouteMode = iota + 1
	// RouteAssign is an assignment with a report-back duty (交办).
	RouteAssign
)

var routeModes = ssra.NewEnum[RouteMode]("route mode",
	ssra.M("transfer", "转送", "transfer"),
	ssra.M("assign", "交办", "assignment"),
)

// String returns the route mode's snake_case name.
func (v RouteMode) String() string { return routeModes.String(v) }

// Valid reports whether v is a route mode.
func (v RouteMode) Valid() bool { return routeModes.Valid(v) }

// Label returns the route mode's name for people in lang.
func (v RouteMode) Label(lang ssra.Lang) string { return routeModes.Label(v, lang) }

// MarshalText encodes the route mode as its name and refuses an unset one.
func (v RouteMode) MarshalText() ([]byte, error) { return routeModes.MarshalText(v) }

// UnmarshalText decodes a route mode name and rejects unknown text.
func (v *RouteMode) UnmarshalText(b []byte) error { return routeModes.UnmarshalText(v, b) }

// Outcome is the handling opinion on a complaint (处理意见).
type Outcome uint8

// The outcomes.
const (
	// OutcomeSupport supports the request (支持).
	OutcomeSupport Outcome = iota + 1
	// OutcomeExplain explains the position (解释说明).
	OutcomeExplain
	// OutcomeNotSupported does not support the request (不予支持).
	OutcomeNotSupported
)

var outcomes = ssra.NewEnum[Outcome]("outcome",
	ssra.M("support", "支持", "supported"),
	ssra.M("explain", "解释说明", "explained"),
	ssra.M("not_supported", "不予支持", "not supported"),
)

// String returns the outcome's snake_case name.
func (v Outcome) String() string { return outcomes.String(v) }

// Valid reports whether v is an outcome.
func (v Outcome) Valid() bool { return outcomes.Valid(v) }

// Label returns the outcome's name for people in lang.
func (v Outcome) Label(lang ssra.Lang) string { return outcomes.Label(v, lang) }

// MarshalText encodes the outcome as its name and refuses an unset one.
func (v Outcome) MarshalText() ([]byte, error) { return outcomes.MarshalText(v) }

// UnmarshalText decodes an outcome name and rejects unknown text.
func (v *Outcome) UnmarshalText(b []byte) error { return outcomes.UnmarshalText(v, b) }

// CaseRole is what a Participant does in the casework. It is not a user's
// role on the server (ssra.Role), which decides what the user may call.
type CaseRole uint8

// The case roles.
const (
	// RoleStaff is a member of staff of the handling body.
	RoleStaff CaseRole = iota + 1
	// RoleHead is the head of the handling body, who approves extensions (负责人).
	RoleHead
	// RoleComplainant is the complainant (信访人), acting on their own case.
	RoleComplainant
	// RoleParty is a party to a dispute acting on their own case.
	RoleParty
)

var caseRoles = ssra.NewEnum[CaseRole]("case role",
	ssra.M("staff", "工作人员", "staff"),
	ssra.M("head", "负责人", "head of the handling body"),
	ssra.M("complainant", "信访人", "complainant"),
	ssra.M("party", "当事人", "party"),
)

// String returns the role's snake_case name.
func (v CaseRole) String() string { return caseRoles.String(v) }

// Valid reports whether v is a role.
func (v CaseRole) Valid() bool { return caseRoles.Valid(v) }

// Label returns the role's name for people in lang.
func (v CaseRole) Label(lang ssra.Lang) string { return caseRoles.Label(v, lang) }

// MarshalText encodes the role as its name and refuses an unset one.
func (v CaseRole) MarshalText() ([]byte, error) { return caseRoles.MarshalText(v) }

// UnmarshalText decodes a role name and rejects unknown text.
func (v *CaseRole) UnmarshalText(b []byte) error { return caseRoles.UnmarshalText(v, b) }

// ViewerRole is the relation of a viewer to a case, which decides what Redact shows.
type ViewerRole uint8

// The viewer roles.
const (
	// ViewHandler is the case officer and the handling organ: everything (need-to-know).
	ViewHandler ViewerRole = iota + 1
	// ViewSender is the organ that routed the case: read access to what it sent.
	ViewSender
	// ViewStaff is staff without need-to-know: no personal data and no materials.
	ViewStaff
	// ViewSubject is the person or unit complained about: never who complained or what they submitted.
	ViewSubject
	// ViewComplainant is the complainant or a party viewing their own case.
	ViewComplainant
)

var viewerRoles = ssra.NewEnum[ViewerRole]("viewer role",
	ssra.M("handler", "承办机关", "handler"),
	ssra.M("sender", "转送机关", "sending organ"),
	ssra.M("staff", "工作人员", "staff"),
	ssra.M("subject", "被反映对象", "subject complained about"),
	ssra.M("complainant", "信访人或当事人", "complainant or party"),
)

// String returns the viewer role's snake_case name.
func (v ViewerRole) String() string { return viewerRoles.String(v) }

// Valid reports whether v is a viewer role.
func (v ViewerRole) Valid() bool { return viewerRoles.Valid(v) }

// Label returns the viewer role's name for people in lang.
func (v ViewerRole) Label(lang ssra.Lang) string { return viewerRoles.Label(v, lang) }

// MarshalText encodes the viewer role as its name and refuses an unset one.
func (v ViewerRole) MarshalText() ([]byte, error) { return viewerRoles.MarshalText(v) }

// UnmarshalText decodes a viewer role name and rejects unknown text.
func (v *ViewerRole) UnmarshalText(b []byte) error { return viewerRoles.UnmarshalText(v, b) }

// DeadlineStatus is the state of a deadline on a case.
type DeadlineStatus uint8

// The deadline statuses.
const (
	// DeadlineOpen is a deadline still running (it may be past due; see Overdue).
	DeadlineOpen DeadlineStatus = iota + 1
	// DeadlineMet is a deadline closed on or before its due date.
	DeadlineMet
	// DeadlineLate is a deadline closed after its due date.
	DeadlineLate
	// DeadlineLapsed is a window the party let pass or that no longer applies.
	DeadlineLapsed
	// DeadlineCancelled is a deadline that no longer applies because the case took another path.
	DeadlineCancelled
)

var deadlineStatuses = ssra.NewEnum[DeadlineStatus]("deadline status",
	ssra.M("open", "进行中", "open"),
	ssra.M("met", "按期办结", "met"),
	ssra.M("late", "逾期办结", "late"),
	ssra.M("lapsed", "期间届满", "lapsed"),
	ssra.M("cancelled", "已取消", "cancelled"),
)

// String returns the deadline status's snake_case name.
func (v DeadlineStatus) String() string { return deadlineStatuses.String(v) }

// Valid reports whether v is a deadline status.
func (v DeadlineStatus) Valid() bool { return deadlineStatuses.Valid(v) }

// Label returns the deadline status's name for people in lang.
func (v DeadlineStatus) Label(lang ssra.Lang) string { return deadlineStatuses.Label(v, lang) }

// MarshalText encodes the deadline status as its name and refuses an unset one.
func (v DeadlineStatus) MarshalText() ([]byte, error) { return deadlineStatuses.MarshalText(v) }

// UnmarshalText decodes a deadline status name and rejects unknown text.
func (v *DeadlineStatus) UnmarshalText(b []byte) error { return deadlineStatuses.UnmarshalText(v, b) }

// MediationChannel is the channel of dispute resolution (多元化解).
type MediationChannel uint8

// The mediation channels.
const (
	// MediationPeople is people's mediation (人民调解).
	MediationPeople MediationChannel = iota + 1
	// MediationAdministrative is administrative mediation (行政调解).
	MediationAdministrative
	// MediationJudicial is judicial mediation (司法调解).
	MediationJudicial
	// MediationPetitionGuidance is petition guidance (信访疏导).
	MediationPetitionGuidance
)

var mediationChannels = ssra.NewEnum[MediationChannel]("mediation channel",
	ssra.M("people", "人民调解", "people's mediation"),
	ssra.M("administrative", "行政调解", "administrative mediation"),
	ssra.M("judicial", "司法调解", "judicial mediation"),
	ssra.M("petition_guidance", "信访疏导", "petition guidance"),
)

// String returns the mediation channel's snake_case name.
func (v MediationChannel) String() string { return mediationChannels.String(v) }

// Valid reports whether v is a mediation channel.
func (v MediationChannel) Valid() bool { return mediationChannels.Valid(v) }

// Label returns the mediation channel's name for people in lang.
func (v MediationChannel) Label(lang ssra.Lang) string { return mediationChannels.Label(v, lang) }

// MarshalText encodes the mediation channel as its name and refuses an unset one.
func (v MediationChannel) MarshalText() ([]byte, error) { return mediationChannels.MarshalText(v) }

// UnmarshalText decodes a mediation channel name and rejects unknown text.
func (v *MediationChannel) UnmarshalText(b []byte) error {
	return mediationChannels.UnmarshalText(v, b)
}

// MediationMode decides which time limit a mediation runs under.
type MediationMode uint8

// The mediation modes.
const (
	// ModeStandard is people's or administrative mediation, normally concluded within one month.
	ModeStandard MediationMode = iota + 1
	// ModeDelegated is court-delegated mediation before filing (委派调解, 30 days).
	ModeDelegated
	// ModeEntrusted is court-entrusted mediation after filing, ordinary procedure (委托调解, 15 days).
	ModeEntrusted
	// ModeEntrustedSimplified is court-entrusted mediation after filing, simplified procedure (7 days).
	ModeEntrustedSimplified
)

var mediationModes = ssra.NewEnum[MediationMode]("mediation mode",
	ssra.M("standard", "一般调解", "standard mediation"),
	ssra.M("delegated", "委派调解", "court-delegated mediation"),
	ssra.M("entrusted", "委托调解", "court-entrusted mediation"),
	ssra.M("entrusted_simplified", "委托调解（简易程序）", "court-entrusted mediation, simplified procedure"),
)

// String returns the mediation mode's snake_case name.
func (v MediationMode) String() string { return mediationModes.String(v) }

// Valid reports whether v is a mediation mode.
func (v MediationMode) Valid() bool { return mediationModes.Valid(v) }

// Label returns the mediation mode's name for people in lang.
func (v MediationMode) Label(lang ssra.Lang) string { return mediationModes.Label(v, lang) }

// MarshalText encodes the mediation mode as its name and refuses an unset one.
func (v MediationMode) MarshalText() ([]byte, error) { return mediationModes.MarshalText(v) }

// UnmarshalText decodes a mediation mode name and rejects unknown text.
func (v *MediationMode) UnmarshalText(b []byte) error { return mediationModes.UnmarshalText(v, b) }

// AgreementForm is the form of a mediation agreement.
type AgreementForm uint8

// The agreement forms.
const (
	// AgreementWritten is a written agreement signed by the parties and sealed by the committee.
	AgreementWritten AgreementForm = iota + 1
	// AgreementOral is an oral agreement whose content is recorded.
	AgreementOral
)

var agreementForms = ssra.NewEnum[AgreementForm]("agreement form",
	ssra.M("written", "书面协议", "written agreement"),
	ssra.M("oral", "口头协议", "oral agreement"),
)

// String returns the agreement form's snake_case name.
func (v AgreementForm) String() string { return agreementForms.String(v) }

// Valid reports whether v is an agreement form.
func (v AgreementForm) Valid() bool { return agreementForms.Valid(v) }

// Label returns the agreement form's name for people in lang.
func (v AgreementForm) Label(lang ssra.Lang) string { return agreementForms.Label(v, lang) }

// MarshalText encodes the agreement form as its name and refuses an unset one.
func (v AgreementForm) MarshalText() ([]byte, error) { return agreementForms.MarshalText(v) }

// UnmarshalText decodes an agreement form name and rejects unknown text.
func (v *AgreementForm) UnmarshalText(b []byte) error { return agreementForms.UnmarshalText(v, b) }

// Rating is a complainant's or party's rating of the handling (评价).
type Rating uint8

// The ratings.
const (
	// RatingSatisfied is satisfied (满意).
	RatingSatisfied Rating = iota + 1
	// RatingBasicallySatisfied is basically satisfied (基本满意).
	RatingBasicallySatisfied
	// RatingDissatisfied is dissatisfied (不满意).
	RatingDissatisfied
)

var ratings = ssra.NewEnum[Rating]("rating",
	ssra.M("satisfied", "满意", "satisfied"),
	ssra.M("basically_satisfied", "基本满意", "basically satisfied"),
	ssra.M("dissatisfied", "不满意", "dissatisfied"),
)

// String returns the rating's snake_case name.
func (v Rating) String() string { return ratings.String(v) }

// Valid reports whether v is a rating.
func (v Rating) Valid() bool { return ratings.Valid(v) }

// Label returns the rating's name for people in lang.
func (v Rating) Label(lang ssra.Lang) string { return ratings.Label(v, lang) }

// MarshalText encodes the rating as its name and refuses an unset one.
func (v Rating) MarshalText() ([]byte, error) { return ratings.MarshalText(v) }

// UnmarshalText decodes a rating name and rejects unknown text.
func (v *Rating) UnmarshalText(b []byte) error { return ratings.UnmarshalText(v, b) }

// Comparator says how a measured value is compared with a target's threshold.
type Comparator uint8

// The comparators.
const (
	// CmpGE passes when value ≥ threshold.
	CmpGE Comparator = iota + 1
	// CmpGT passes when value > threshold.
	CmpGT
	// CmpLE passes when value ≤ threshold.
	CmpLE
	// CmpLT passes when value < threshold.
	CmpLT
	// CmpEQ passes when value = threshold.
	CmpEQ
)

var comparators = ssra.NewEnum[Comparator]("comparator",
	ssra.M("ge", "不低于", "at least"),
	ssra.M("gt", "高于", "more than"),
	ssra.M("le", "不高于", "at most"),
	ssra.M("lt", "低于", "less than"),
	ssra.M("eq", "等于", "equal to"),
)

// String returns the comparator's snake_case name.
func (v Comparator) String() string { return comparators.String(v) }

// Valid reports whether v is a comparator.
func (v Comparator) Valid() bool { return comparators.Valid(v) }

// Label returns the comparator's name for people in lang.
func (v Comparator) Label(lang ssra.Lang) string { return comparators.Label(v, lang) }

// MarshalText encodes the comparator as its name and refuses an unset one.
func (v Comparator) MarshalText() ([]byte, error) { return comparators.MarshalText(v) }

// UnmarshalText decodes a comparator name and rejects unknown text.
func (v *Comparator) UnmarshalText(b []byte) error { return comparators.UnmarshalText(v, b) }

// MeasureUnit is the unit of a target's threshold and measured value.
type MeasureUnit uint8

// The unit of measures.
const (
	// UnitPercent is a percentage (95 means 95 %).
	UnitPercent MeasureUnit = iota + 1
	// UnitRatio is a share between 0 and 1.
	UnitRatio
	// UnitCount is a count.
	UnitCount
	// UnitDays is a number of days.
	UnitDays
	// UnitFlag is 1 (yes) or 0 (no), for targets such as acceptance as a safe unit.
	UnitFlag
)

var measureUnits = ssra.NewEnum[MeasureUnit]("unit of measure",
	ssra.M("percent", "百分比", "percent"),
	ssra.M("ratio", "比率", "ratio"),
	ssra.M("count", "数量", "count"),
	ssra.M("days", "天数", "days"),
	ssra.M("flag", "是否", "yes or no"),
)

// String returns the unit of measure's snake_case name.
func (v MeasureUnit) String() string { return measureUnits.String(v) }

// Valid reports whether v is an unit of measure.
func (v MeasureUnit) Valid() bool { return measureUnits.Valid(v) }

// Label returns the unit of measure's name for people in lang.
func (v MeasureUnit) Label(lang ssra.Lang) string { return measureUnits.Label(v, lang) }

// MarshalText encodes the unit of measure as its name and refuses an unset one.
func (v MeasureUnit) MarshalText() ([]byte, error) { return measureUnits.MarshalText(v) }

// UnmarshalText decodes an unit of measure name and rejects unknown text.
func (v *MeasureUnit) UnmarshalText(b []byte) error { return measureUnits.UnmarshalText(v, b) }

// Verdict is the result of checking a target or a plan at acceptance (验收).
type Verdict uint8

// The verdicts.
const (
	// VerdictPass means the target is met.
	VerdictPass Verdict = iota + 1
	// VerdictFail means the target is not met.
	VerdictFail
	// VerdictUndecided means a sampled rate's 95 % Wilson interval contains the threshold, so the sample cannot decide.
	VerdictUndecided
	// VerdictMissing means no measured value was supplied.
	VerdictMissing
	// VerdictNotMeasurable means the target's indicator had nothing to
	// measure (its denominator was zero: no case, duty or rating counted),
	// so the target is neither met nor failed; the figure and its query
	// are the evidence.
	VerdictNotMeasurable
)

var verdicts = ssra.NewEnum[Verdict]("verdict",
	ssra.M("pass", "达标", "pass"),
	ssra.M("fail", "未达标", "fail"),
	ssra.M("undecided", "无法判定", "undecided"),
	ssra.M("missing", "缺少数据", "missing"),
	ssra.M("not_measurable", "无从测量", "not measurable"),
)

// String returns the verdict's snake_case name.
func (v Verdict) String() string { return verdicts.String(v) }

// Valid reports whether v is a verdict.
func (v Verdict) Valid() bool { return verdicts.Valid(v) }

// Label returns the verdict's name for people in lang.
func (v Verdict) Label(lang ssra.Lang) string { return verdicts.Label(v, lang) }

// MarshalText encodes the verdict as its name and refuses an unset one.
func (v Verdict) MarshalText() ([]byte, error) { return verdicts.MarshalText(v) }

// UnmarshalText decodes a verdict name and rejects unknown text.
func (v *Verdict) UnmarshalText(b []byte) error { return verdicts.UnmarshalText(v, b) }
