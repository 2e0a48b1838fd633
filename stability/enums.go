package stability

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

var dayUnitNames = []string{"", "calendar_days", "working_days", "months"}

// String returns the day unit's snake_case name.
func (v DayUnit) String() string { return enumString(dayUnitNames, "day unit", uint8(v)) }

// MarshalText encodes the day unit as its name.
func (v DayUnit) MarshalText() ([]byte, error) {
	return enumMarshal(dayUnitNames, "day unit", uint8(v))
}

// UnmarshalText decodes a day unit name and rejects unknown text.
func (v *DayUnit) UnmarshalText(b []byte) error {
	x, err := enumParse(dayUnitNames, "day unit", b)
	if err != nil {
		return err
	}
	*v = DayUnit(x)
	return nil
}

// Obligation says who a time limit binds.
type Obligation uint8

// The obligations.
const (
	// Duty binds the handling body: it must act by the deadline; on-time rates count duties.
	Duty Obligation = iota + 1
	// Window is a period in which a party may act (for example request a review); after it the act is refused.
	Window
)

var obligationNames = []string{"", "duty", "window"}

// String returns the obligation's snake_case name.
func (v Obligation) String() string { return enumString(obligationNames, "obligation", uint8(v)) }

// MarshalText encodes the obligation as its name.
func (v Obligation) MarshalText() ([]byte, error) {
	return enumMarshal(obligationNames, "obligation", uint8(v))
}

// UnmarshalText decodes a obligation name and rejects unknown text.
func (v *Obligation) UnmarshalText(b []byte) error {
	x, err := enumParse(obligationNames, "obligation", b)
	if err != nil {
		return err
	}
	*v = Obligation(x)
	return nil
}

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

var eventKindNames = []string{"", "registered", "routed", "notified", "transfer_received", "transfer_objected", "accepted", "referred", "diverted", "investigating", "extended", "answered", "review_requested", "reviewed", "rereview_requested", "rereviewed", "closed", "paused", "supervised", "escalated", "officer_assigned", "recused", "rated", "intake", "declined", "mediator_assigned", "mediation_started", "delegated_mediation_started", "entrusted_mediation_started", "entrusted_simplified_started", "ended_by_party", "terminated", "agreement_effective", "performance_started", "performed", "confirmation_filed", "confirmed", "confirmation_refused", "handed_over", "leader_assigned", "leader_released", "recusal_ended"}

// String returns the event kind's snake_case name.
func (v EventKind) String() string { return enumString(eventKindNames, "event kind", uint8(v)) }

// MarshalText encodes the event kind as its name.
func (v EventKind) MarshalText() ([]byte, error) {
	return enumMarshal(eventKindNames, "event kind", uint8(v))
}

// UnmarshalText decodes a event kind name and rejects unknown text.
func (v *EventKind) UnmarshalText(b []byte) error {
	x, err := enumParse(eventKindNames, "event kind", b)
	if err != nil {
		return err
	}
	*v = EventKind(x)
	return nil
}

// Status is the state of a complaint (信访事项) in its workflow.
type Status uint8

// The statuss.
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

var statusNames = []string{"", "registered", "routed", "accepted", "referred", "diverted", "investigating", "extended", "answered", "review_requested", "reviewed", "rereview_requested", "rereviewed", "closed"}

// String returns the status's snake_case name.
func (v Status) String() string { return enumString(statusNames, "status", uint8(v)) }

// MarshalText encodes the status as its name.
func (v Status) MarshalText() ([]byte, error) { return enumMarshal(statusNames, "status", uint8(v)) }

// UnmarshalText decodes a status name and rejects unknown text.
func (v *Status) UnmarshalText(b []byte) error {
	x, err := enumParse(statusNames, "status", b)
	if err != nil {
		return err
	}
	*v = Status(x)
	return nil
}

// DisputeStatus is the state of a dispute in mediation (矛盾纠纷调处).
type DisputeStatus uint8

// The dispute statuss.
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

var disputeStatusNames = []string{"", "intake", "declined", "assigned", "mediating", "agreement", "terminated", "performing", "confirmation_requested", "confirmed", "refused"}

// String returns the dispute status's snake_case name.
func (v DisputeStatus) String() string {
	return enumString(disputeStatusNames, "dispute status", uint8(v))
}

// MarshalText encodes the dispute status as its name.
func (v DisputeStatus) MarshalText() ([]byte, error) {
	return enumMarshal(disputeStatusNames, "dispute status", uint8(v))
}

// UnmarshalText decodes a dispute status name and rejects unknown text.
func (v *DisputeStatus) UnmarshalText(b []byte) error {
	x, err := enumParse(disputeStatusNames, "dispute status", b)
	if err != nil {
		return err
	}
	*v = DisputeStatus(x)
	return nil
}

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

var channelNames = []string{"", "online", "letter", "phone", "fax", "visit", "email"}

// String returns the channel's snake_case name.
func (v Channel) String() string { return enumString(channelNames, "channel", uint8(v)) }

// MarshalText encodes the channel as its name.
func (v Channel) MarshalText() ([]byte, error) { return enumMarshal(channelNames, "channel", uint8(v)) }

// UnmarshalText decodes a channel name and rejects unknown text.
func (v *Channel) UnmarshalText(b []byte) error {
	x, err := enumParse(channelNames, "channel", b)
	if err != nil {
		return err
	}
	*v = Channel(x)
	return nil
}

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

var matterTypeNames = []string{"", "suggestion", "report", "claim"}

// String returns the matter type's snake_case name.
func (v MatterType) String() string { return enumString(matterTypeNames, "matter type", uint8(v)) }

// MarshalText encodes the matter type as its name.
func (v MatterType) MarshalText() ([]byte, error) {
	return enumMarshal(matterTypeNames, "matter type", uint8(v))
}

// UnmarshalText decodes a matter type name and rejects unknown text.
func (v *MatterType) UnmarshalText(b []byte) error {
	x, err := enumParse(matterTypeNames, "matter type", b)
	if err != nil {
		return err
	}
	*v = MatterType(x)
	return nil
}

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

var diversionTargetNames = []string{"", "litigation", "arbitration", "administrative_reconsideration", "discipline_inspection"}

// String returns the diversion target's snake_case name.
func (v DiversionTarget) String() string {
	return enumString(diversionTargetNames, "diversion target", uint8(v))
}

// MarshalText encodes the diversion target as its name.
func (v DiversionTarget) MarshalText() ([]byte, error) {
	return enumMarshal(diversionTargetNames, "diversion target", uint8(v))
}

// UnmarshalText decodes a diversion target name and rejects unknown text.
func (v *DiversionTarget) UnmarshalText(b []byte) error {
	x, err := enumParse(diversionTargetNames, "diversion target", b)
	if err != nil {
		return err
	}
	*v = DiversionTarget(x)
	return nil
}

// RouteMode says how a complaint is routed to the competent organ.
type RouteMode uint8

// The route modes.
const (
	// RouteTransfer is a transfer (转送).
	RouteTransfer RouteMode = iota + 1
	// RouteAssign is an assignment with a report-back duty (交办).
	RouteAssign
)

var routeModeNames = []string{"", "transfer", "assign"}

// String returns the route mode's snake_case name.
func (v RouteMode) String() string { return enumString(routeModeNames, "route mode", uint8(v)) }

// MarshalText encodes the route mode as its name.
func (v RouteMode) MarshalText() ([]byte, error) {
	return enumMarshal(routeModeNames, "route mode", uint8(v))
}

// UnmarshalText decodes a route mode name and rejects unknown text.
func (v *RouteMode) UnmarshalText(b []byte) error {
	x, err := enumParse(routeModeNames, "route mode", b)
	if err != nil {
		return err
	}
	*v = RouteMode(x)
	return nil
}

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

var outcomeNames = []string{"", "support", "explain", "not_supported"}

// String returns the outcome's snake_case name.
func (v Outcome) String() string { return enumString(outcomeNames, "outcome", uint8(v)) }

// MarshalText encodes the outcome as its name.
func (v Outcome) MarshalText() ([]byte, error) { return enumMarshal(outcomeNames, "outcome", uint8(v)) }

// UnmarshalText decodes a outcome name and rejects unknown text.
func (v *Outcome) UnmarshalText(b []byte) error {
	x, err := enumParse(outcomeNames, "outcome", b)
	if err != nil {
		return err
	}
	*v = Outcome(x)
	return nil
}

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

var roleNames = []string{"", "staff", "head", "complainant", "party"}

// String returns the role's snake_case name.
func (v CaseRole) String() string { return enumString(roleNames, "role", uint8(v)) }

// MarshalText encodes the role as its name.
func (v CaseRole) MarshalText() ([]byte, error) { return enumMarshal(roleNames, "role", uint8(v)) }

// UnmarshalText decodes a role name and rejects unknown text.
func (v *CaseRole) UnmarshalText(b []byte) error {
	x, err := enumParse(roleNames, "role", b)
	if err != nil {
		return err
	}
	*v = CaseRole(x)
	return nil
}

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

var viewerRoleNames = []string{"", "handler", "sender", "staff", "subject", "complainant"}

// String returns the viewer role's snake_case name.
func (v ViewerRole) String() string { return enumString(viewerRoleNames, "viewer role", uint8(v)) }

// MarshalText encodes the viewer role as its name.
func (v ViewerRole) MarshalText() ([]byte, error) {
	return enumMarshal(viewerRoleNames, "viewer role", uint8(v))
}

// UnmarshalText decodes a viewer role name and rejects unknown text.
func (v *ViewerRole) UnmarshalText(b []byte) error {
	x, err := enumParse(viewerRoleNames, "viewer role", b)
	if err != nil {
		return err
	}
	*v = ViewerRole(x)
	return nil
}

// DeadlineStatus is the state of a deadline on a case.
type DeadlineStatus uint8

// The deadline statuss.
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

var deadlineStatusNames = []string{"", "open", "met", "late", "lapsed", "cancelled"}

// String returns the deadline status's snake_case name.
func (v DeadlineStatus) String() string {
	return enumString(deadlineStatusNames, "deadline status", uint8(v))
}

// MarshalText encodes the deadline status as its name.
func (v DeadlineStatus) MarshalText() ([]byte, error) {
	return enumMarshal(deadlineStatusNames, "deadline status", uint8(v))
}

// UnmarshalText decodes a deadline status name and rejects unknown text.
func (v *DeadlineStatus) UnmarshalText(b []byte) error {
	x, err := enumParse(deadlineStatusNames, "deadline status", b)
	if err != nil {
		return err
	}
	*v = DeadlineStatus(x)
	return nil
}

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

var mediationChannelNames = []string{"", "people", "administrative", "judicial", "petition_guidance"}

// String returns the mediation channel's snake_case name.
func (v MediationChannel) String() string {
	return enumString(mediationChannelNames, "mediation channel", uint8(v))
}

// MarshalText encodes the mediation channel as its name.
func (v MediationChannel) MarshalText() ([]byte, error) {
	return enumMarshal(mediationChannelNames, "mediation channel", uint8(v))
}

// UnmarshalText decodes a mediation channel name and rejects unknown text.
func (v *MediationChannel) UnmarshalText(b []byte) error {
	x, err := enumParse(mediationChannelNames, "mediation channel", b)
	if err != nil {
		return err
	}
	*v = MediationChannel(x)
	return nil
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

var mediationModeNames = []string{"", "standard", "delegated", "entrusted", "entrusted_simplified"}

// String returns the mediation mode's snake_case name.
func (v MediationMode) String() string {
	return enumString(mediationModeNames, "mediation mode", uint8(v))
}

// MarshalText encodes the mediation mode as its name.
func (v MediationMode) MarshalText() ([]byte, error) {
	return enumMarshal(mediationModeNames, "mediation mode", uint8(v))
}

// UnmarshalText decodes a mediation mode name and rejects unknown text.
func (v *MediationMode) UnmarshalText(b []byte) error {
	x, err := enumParse(mediationModeNames, "mediation mode", b)
	if err != nil {
		return err
	}
	*v = MediationMode(x)
	return nil
}

// AgreementForm is the form of a mediation agreement.
type AgreementForm uint8

// The agreement forms.
const (
	// AgreementWritten is a written agreement signed by the parties and sealed by the committee.
	AgreementWritten AgreementForm = iota + 1
	// AgreementOral is an oral agreement whose content is recorded.
	AgreementOral
)

var agreementFormNames = []string{"", "written", "oral"}

// String returns the agreement form's snake_case name.
func (v AgreementForm) String() string {
	return enumString(agreementFormNames, "agreement form", uint8(v))
}

// MarshalText encodes the agreement form as its name.
func (v AgreementForm) MarshalText() ([]byte, error) {
	return enumMarshal(agreementFormNames, "agreement form", uint8(v))
}

// UnmarshalText decodes a agreement form name and rejects unknown text.
func (v *AgreementForm) UnmarshalText(b []byte) error {
	x, err := enumParse(agreementFormNames, "agreement form", b)
	if err != nil {
		return err
	}
	*v = AgreementForm(x)
	return nil
}

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

var ratingNames = []string{"", "satisfied", "basically_satisfied", "dissatisfied"}

// String returns the rating's snake_case name.
func (v Rating) String() string { return enumString(ratingNames, "rating", uint8(v)) }

// MarshalText encodes the rating as its name.
func (v Rating) MarshalText() ([]byte, error) { return enumMarshal(ratingNames, "rating", uint8(v)) }

// UnmarshalText decodes a rating name and rejects unknown text.
func (v *Rating) UnmarshalText(b []byte) error {
	x, err := enumParse(ratingNames, "rating", b)
	if err != nil {
		return err
	}
	*v = Rating(x)
	return nil
}

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

var comparatorNames = []string{"", "ge", "gt", "le", "lt", "eq"}

// String returns the comparator's snake_case name.
func (v Comparator) String() string { return enumString(comparatorNames, "comparator", uint8(v)) }

// MarshalText encodes the comparator as its name.
func (v Comparator) MarshalText() ([]byte, error) {
	return enumMarshal(comparatorNames, "comparator", uint8(v))
}

// UnmarshalText decodes a comparator name and rejects unknown text.
func (v *Comparator) UnmarshalText(b []byte) error {
	x, err := enumParse(comparatorNames, "comparator", b)
	if err != nil {
		return err
	}
	*v = Comparator(x)
	return nil
}

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

var measureUnitNames = []string{"", "percent", "ratio", "count", "days", "flag"}

// String returns the unit of measure's snake_case name.
func (v MeasureUnit) String() string {
	return enumString(measureUnitNames, "unit of measure", uint8(v))
}

// MarshalText encodes the unit of measure as its name.
func (v MeasureUnit) MarshalText() ([]byte, error) {
	return enumMarshal(measureUnitNames, "unit of measure", uint8(v))
}

// UnmarshalText decodes a unit of measure name and rejects unknown text.
func (v *MeasureUnit) UnmarshalText(b []byte) error {
	x, err := enumParse(measureUnitNames, "unit of measure", b)
	if err != nil {
		return err
	}
	*v = MeasureUnit(x)
	return nil
}

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
)

var verdictNames = []string{"", "pass", "fail", "undecided", "missing"}

// String returns the verdict's snake_case name.
func (v Verdict) String() string { return enumString(verdictNames, "verdict", uint8(v)) }

// MarshalText encodes the verdict as its name.
func (v Verdict) MarshalText() ([]byte, error) { return enumMarshal(verdictNames, "verdict", uint8(v)) }

// UnmarshalText decodes a verdict name and rejects unknown text.
func (v *Verdict) UnmarshalText(b []byte) error {
	x, err := enumParse(verdictNames, "verdict", b)
	if err != nil {
		return err
	}
	*v = Verdict(x)
	return nil
}
