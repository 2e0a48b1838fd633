package rest

import (
	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/store"
	"github.com/ssra-go/ssra/stability"
)

// statusTexts are the status page's fixed words; the keys ending in
// ".complaint" or ".dispute" differ by kind of case.
var statusTexts = map[string]ssra.Label{
	"site":                  ssra.L("社会稳定工作平台", "Social stability work platform"),
	"skip":                  ssra.L("跳到正文", "Skip to the main content"),
	"title.complaint":       ssra.L("信访事项办理进度查询", "Check the progress of a complaint (letters and visits)"),
	"title.dispute":         ssra.L("矛盾纠纷调解进度查询", "Check the progress of a dispute mediation"),
	"intro.complaint":       ssra.L("请输入登记时告知您的受理编号和查询码。查询码只用于本次查询，不会出现在网页地址中。", "Enter the reference number and the query code you were given at registration. The code is used for this check only and never appears in a web address."),
	"intro.dispute":         ssra.L("请输入调解申请登记时告知您的编号和查询码。查询码只用于本次查询，不会出现在网页地址中。", "Enter the reference number and the query code you were given when the mediation was registered. The code is used for this check only and never appears in a web address."),
	"other_kind.complaint":  ssra.L("查询矛盾纠纷调解进度", "Check a dispute mediation instead"),
	"other_kind.dispute":    ssra.L("查询信访事项办理进度", "Check a complaint instead"),
	"reference":             ssra.L("受理编号", "Reference number"),
	"reference_hint":        ssra.L("例如 XF-2026-000123", "For example XF-2026-000123"),
	"code":                  ssra.L("查询码", "Query code"),
	"code_hint":             ssra.L("登记时随受理编号一并告知", "Given to you with the reference number"),
	"submit":                ssra.L("查询", "Check"),
	"reference_missing":     ssra.L("请填写受理编号。", "Enter the reference number."),
	"code_missing":          ssra.L("请填写查询码。", "Enter the query code."),
	"reference_long":        ssra.L("受理编号不超过64个字符。", "A reference number has at most 64 characters."),
	"code_long":             ssra.L("查询码不超过64个字符。", "A query code has at most 64 characters."),
	"bad_form":              ssra.L("表单内容无法读取，请重新填写。", "The form could not be read; please fill it in again."),
	"no_case":               ssra.L("没有与该受理编号和查询码相符的事项。请核对后重试。", "There is no case with this reference number and query code. Please check both and try again."),
	"no_page":               ssra.L("没有这个页面。", "There is no such page."),
	"rate_limited":          ssra.L("查询过于频繁，请稍后再试。", "Too many checks from your connection; please try again in a minute."),
	"internal":              ssra.L("系统暂时无法处理，请稍后再试。请告知工作人员此编号：", "The system cannot answer right now; please try again later. Quote this number to the staff:"),
	"result":                ssra.L("办理状态", "Status"),
	"status":                ssra.L("当前状态", "Current status"),
	"updated":               ssra.L("最近办理日期", "Last step on"),
	"deadlines":             ssra.L("法定期限", "Statutory time limits"),
	"deadline":              ssra.L("事项", "What"),
	"due":                   ssra.L("期限届满日", "Due by"),
	"state":                 ssra.L("情况", "State"),
	"basis":                 ssra.L("依据", "Legal basis"),
	"no_deadlines":          ssra.L("目前没有进行中的期限。", "No time limit is running now."),
	"next":                  ssra.L("下一步", "What happens next"),
	"rights":                ssra.L("您的权利", "Your rights"),
	"rate":                  ssra.L("满意度评价", "Rate the handling"),
	"rate_intro":            ssra.L("您可以对本事项的办理给出一项评价；首次评价后的几日内（期限依办理规则）可以更改，以最后一次为准，之后评价即确定。", "You may give one rating of how this case was handled; for a few days after you first give it (the handling rules set how many) you may change it, and the last one counts; after that it stands."),
	"rate_submit":           ssra.L("提交评价", "Submit the rating"),
	"rating_missing":        ssra.L("请选择一项评价。", "Choose one rating."),
	"rated":                 ssra.L("您的评价已记录，谢谢。", "Your rating has been recorded. Thank you."),
	"rating_refused":        ssra.L("评价未能记录。", "The rating could not be recorded."),
	"new_check":             ssra.L("查询其他事项", "Check another case"),
	"switch":                ssra.L("English", "中文"),
	"switch_label":          ssra.L("切换语言", "Change the language"),
	"privacy":               ssra.L("本页面只显示办理状态和期限，不显示信访人、当事人或材料的任何信息。", "This page shows the status and time limits only, nothing about the people or the materials of the case."),
	"form_errors":           ssra.L("请更正以下内容：", "Please correct the following:"),
	"kind_label.complaint":  ssra.L("信访事项", "complaint"),
	"kind_label.dispute":    ssra.L("矛盾纠纷调解", "dispute mediation"),
	"deadlines_caption":     ssra.L("本事项的法定期限及其依据", "The statutory time limits of this case and their legal basis"),
	"rating_legend":         ssra.L("您对办理结果的评价", "Your rating of the handling"),
	"reference_label_value": ssra.L("受理编号：", "Reference number: "),
}

// pageTexts resolves the fixed words for one kind of case in one language.
func pageTexts(kind store.RecordKind, l ssra.Lang) map[string]string {
	out := make(map[string]string, len(statusTexts))
	suffix := "." + kind.String()
	for k, v := range statusTexts {
		switch {
		case len(k) > len(suffix) && k[len(k)-len(suffix):] == suffix:
			out[k[:len(k)-len(suffix)]] = v.In(l)
		case !hasKindSuffix(k):
			out[k] = v.In(l)
		}
	}
	return out
}

func hasKindSuffix(k string) bool {
	for _, s := range []string{"." + store.RecordComplaint.String(), "." + store.RecordDispute.String()} {
		if len(k) > len(s) && k[len(k)-len(s):] == s {
			return true
		}
	}
	return false
}

// deadlineStates name a deadline's state in plain words.
var deadlineStates = map[stability.DeadlineStatus]ssra.Label{
	stability.DeadlineOpen:      ssra.L("进行中", "running"),
	stability.DeadlineMet:       ssra.L("已按期完成", "met in time"),
	stability.DeadlineLate:      ssra.L("逾期完成", "met late"),
	stability.DeadlineLapsed:    ssra.L("已届满未行使", "passed without use"),
	stability.DeadlineCancelled: ssra.L("不再适用", "no longer applies"),
}

// ratingLabels name the ratings.
var ratingLabels = map[stability.Rating]ssra.Label{
	stability.RatingSatisfied:          ssra.L("满意", "satisfied"),
	stability.RatingBasicallySatisfied: ssra.L("基本满意", "basically satisfied"),
	stability.RatingDissatisfied:       ssra.L("不满意", "dissatisfied"),
}

// ratingRefusals say why a rating was refused, by the domain's problem code.
var ratingRefusals = map[string]ssra.Label{
	"complaint.nothing_to_rate": ssra.L("出具处理意见后才能评价。", "The handling can be rated once the answer has been given."),
	"case.rating_final":         ssra.L("您的评价已确定，不能再更改。", "Your rating stands and can no longer be changed."),
	"dispute.nothing_to_rate":   ssra.L("达成调解协议或终止调解后才能评价。", "The handling can be rated once an agreement is reached or the mediation has ended."),
}

// right is one right of the person at a stage; rule names the deadline
// (of the case's profile) that limits it, whose due date is shown with it.
type right struct {
	text ssra.Label
	rule string
	by   ssra.Label
}

// guidance is what happens next at a stage and the person's rights there.
type guidance struct {
	next   ssra.Label
	rights []right
}

var reviewRight = right{
	text: ssra.L("对处理意见不服的，您可以自收到书面处理意见之日起30日内，请求原办理机关的上一级机关复查。",
		"If you disagree with the answer, you may ask the organ one level above the one that handled your case to review it (复查), within 30 days of receiving the written answer."),
	rule: "review_request",
	by:   ssra.L("本事项的复查请求期限至{date}。", "For this case the review must be requested by {date}."),
}

var rereviewRight = right{
	text: ssra.L("对复查意见不服的，您可以自收到书面复查意见之日起30日内，向复查机关的上一级机关请求复核。",
		"If you disagree with the review, you may ask the organ one level above the reviewing organ for a re-review (复核), within 30 days of receiving the written review."),
	rule: "rereview_request",
	by:   ssra.L("本事项的复核请求期限至{date}。", "For this case the re-review must be requested by {date}."),
}

var finalRight = right{text: ssra.L("复核意见是最终意见。以同一事实和理由再次提出的，信访机关不再受理；您仍可依法通过诉讼等途径主张权利。",
	"The re-review is final: the same facts and reasons are not accepted again as a complaint. You may still use the courts and other legal routes.")}

var divertedRight = right{text: ssra.L("依法应当通过诉讼、仲裁、行政复议等法定途径解决的诉求，请向相应机关提出；期限以该程序的规定为准。",
	"A request that the law assigns to the courts, arbitration or administrative reconsideration must be made there; that procedure's own time limits apply.")}

var confirmRight = right{
	text: ssra.L("调解协议生效后，双方当事人可以自协议生效之日起30日内共同向人民法院申请司法确认。",
		"Once the agreement is in force, both parties together may apply to the people's court for judicial confirmation, within 30 days of the agreement taking effect."),
	rule: "confirmation_apply",
	by:   ssra.L("本案的申请期限至{date}。", "For this case the application must be made by {date}."),
}

var voluntaryRight = right{text: ssra.L("调解遵循自愿原则，您可以随时要求终止调解。调解不收费。",
	"Mediation is voluntary: you may end it at any time. It is free of charge.")}

var otherRoutesRight = right{text: ssra.L("调解不成的，您可以依法通过仲裁、行政、司法等途径维护自己的权利。",
	"Where mediation does not settle the dispute, you may protect your rights through arbitration, administrative or judicial routes.")}

// complaintGuidance is the next step and the rights at each complaint status.
var complaintGuidance = map[string]guidance{
	"registered": {next: ssra.L("信访工作机构将登记您的事项，转送或交办有权处理的机关，并书面告知您。",
		"The letters-and-visits office registers your case, sends it to the organ competent to handle it and tells you in writing.")},
	"routed": {next: ssra.L("有权处理的机关收到事项后，将决定是否受理并告知您。",
		"The competent organ that received your case decides whether to accept it and tells you.")},
	"accepted": {next: ssra.L("办理机关将调查核实，并在法定期限内出具书面处理意见。",
		"The handling organ looks into the facts and gives you a written answer within the statutory limit.")},
	"investigating": {next: ssra.L("办理机关正在调查核实，将在法定期限内出具书面处理意见。",
		"The handling organ is looking into the facts and will give you a written answer within the statutory limit.")},
	"extended": {next: ssra.L("办理期限已经批准延长，延长的理由应当告知您。办理机关将在延长后的期限内出具处理意见。",
		"The handling limit was extended with approval; you are to be told why. The organ will answer within the extended limit.")},
	"referred": {next: ssra.L("您的事项不属于本系统受理范围，已告知您向有权处理的机关提出。",
		"Your case is outside this system's remit; you have been told which organ to turn to.")},
	"diverted": {next: ssra.L("您的诉求应当通过法定途径解决，已告知您相应的途径。", "Your request belongs to a legal procedure; you have been told which one."),
		rights: []right{divertedRight}},
	"answered": {next: ssra.L("处理意见已经出具。您可以评价办理情况；如不服，可以请求复查。",
		"The answer has been given. You may rate the handling, and ask for a review if you disagree."), rights: []right{reviewRight}},
	"review_requested": {next: ssra.L("复查机关应当自收到复查请求之日起30日内提出复查意见。",
		"The reviewing organ gives its review within 30 days of receiving the request.")},
	"reviewed": {next: ssra.L("复查意见已经出具。如不服，可以请求复核。", "The review has been given. You may ask for a re-review if you disagree."),
		rights: []right{rereviewRight}},
	"rereview_requested": {next: ssra.L("复核机关应当自收到复核请求之日起30日内提出复核意见（听证时间不计入）。",
		"The re-reviewing organ gives its re-review within 30 days of receiving the request (time for a hearing is not counted).")},
	"rereviewed": {next: ssra.L("复核意见已经出具，本事项的信访程序已经终结。", "The re-review has been given; the complaint procedure is at its end."),
		rights: []right{finalRight}},
	"closed": {next: ssra.L("本事项已办结。", "This case is closed.")},
}

// disputeGuidance is the next step and the rights at each dispute status.
var disputeGuidance = map[string]guidance{
	"intake": {next: ssra.L("调解组织将征求各方当事人意见，并指定调解员。", "The mediation body asks every party whether they agree to mediate and assigns a mediator."),
		rights: []right{voluntaryRight}},
	"declined": {next: ssra.L("有当事人不同意调解，调解不再进行。", "A party did not agree to mediation, so it does not go ahead."),
		rights: []right{otherRoutesRight}},
	"assigned": {next: ssra.L("调解员将与各方当事人联系，安排调解。", "The mediator contacts the parties to arrange the mediation."),
		rights: []right{voluntaryRight}},
	"mediating": {next: ssra.L("调解正在进行。", "Mediation is under way."), rights: []right{voluntaryRight}},
	"agreement": {next: ssra.L("已达成调解协议，各方应当按约定履行。", "An agreement has been reached; each party is to perform it."),
		rights: []right{confirmRight}},
	"terminated": {next: ssra.L("调解已终止。", "The mediation has ended without agreement."), rights: []right{otherRoutesRight}},
	"performing": {next: ssra.L("调解协议正在履行。", "The agreement is being performed."), rights: []right{confirmRight}},
	"confirmation_requested": {next: ssra.L("人民法院将在法定期限内决定是否确认调解协议。",
		"The court decides within the statutory limit whether to confirm the agreement.")},
	"confirmed": {next: ssra.L("调解协议已经司法确认。一方拒绝履行的，对方可以向人民法院申请强制执行。",
		"The agreement has been confirmed by the court. If a party does not perform it, the other may apply to the court for enforcement.")},
	"refused": {next: ssra.L("人民法院不予确认。当事人可以通过调解变更原协议或者达成新协议，也可以向人民法院提起诉讼。",
		"The court refused to confirm. The parties may change the agreement or reach a new one through mediation, or go to court.")},
}

// guidanceFor returns the guidance of a status; a status without an entry
// gets none rather than a guess.
func guidanceFor(kind store.RecordKind, status string) guidance {
	if kind == store.RecordDispute {
		return disputeGuidance[status]
	}
	return complaintGuidance[status]
}
