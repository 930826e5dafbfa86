package uplink

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/kiosk"
)

var shanghai = time.FixedZone("CST", 8*3600)

// idTypes maps card types to the applicant block's idtype. "1" (居民身份证)
// is the 一网通办 code; the others are placeholders until the city's code
// table is known, named so a mapping is obvious.
var idTypes = map[kiosk.CardType]string{
	kiosk.CardResident:      "1",
	kiosk.CardPermitHKMOTW:  "hkmotw-permit",
	kiosk.CardForeignPR2017: "foreign-pr",
	kiosk.CardForeignPR2023: "foreign-pr",
	kiosk.CardSuishenma:     "suishenma",
}

// toWire maps a queued submission to the wire item. It is deterministic: a
// resend of the same submission gives the same bytes, which is what lets
// the back office tell a replay from a conflicting reuse of an ID.
func toWire(s kiosk.Submission, display func(kiosk.Submission) map[string]string) api.SubmissionItem {
	applicant := applicantBlock(s.Applicant)
	fields := map[string]string{}
	for k, v := range s.Answers {
		fields[k] = v
	}
	shown := fields
	if display != nil {
		shown = display(s)
	}
	item := api.SubmissionItem{
		ClientID:     s.ID,
		LocalReceipt: s.LocalReceipt,
		Terminal:     s.Terminal,
		Center:       s.Center,
		CreatedAt:    s.CreatedAt,
		Lang:         string(s.Lang),
		Consent:      s.ConsentGiven,
		Applicant:    applicant,
		Affairs: api.Affairs{
			Platform:     "4", // self-service terminal
			AffairsCode:  string(s.Item),
			AffairsName:  s.ItemName.ZH,
			ItemCode:     string(s.Item),
			SubTime:      s.CreatedAt.In(shanghai).Format("2006-01-02 15:04:05"),
			SubOrganCode: s.Center,
			FormData:     api.FormData{Fields: fields, Display: shown},
		},
		Signature:      s.Signature,
		Identification: s.Applicant.Verification,
		ReaderSAM:      s.Applicant.ReaderSAM,
	}
	for i, p := range s.Parts {
		// 一件事: each part takes the answers of its own fields; one
		// asked for several parts goes to each.
		part := s
		part.Answers = p.PartAnswers(s.Answers)
		shown := map[string]string(part.Answers)
		if display != nil {
			shown = display(part)
		}
		item.Parts = append(item.Parts, api.Part{No: i + 1, AffairsCode: string(p.Item), AffairsName: p.Name.ZH,
			Fields: slices.Clone(p.Fields), Display: maps.Clone(shown)})
	}
	if s.Agent != nil {
		// 代办: the card read, and so the identification, is the agent's.
		item.Agent = &api.Agent{Applicant: applicantBlock(s.Agent.Identity), Relation: s.Agent.Relation}
		item.Identification, item.ReaderSAM = s.Agent.Identity.Verification, s.Agent.Identity.ReaderSAM
	}
	return item
}

// applicantBlock is a person's identity in the applicant block's fields.
func applicantBlock(who kiosk.Identity) api.Applicant {
	sex := ""
	switch who.Sex {
	case kiosk.SexMale:
		sex = "1"
	case kiosk.SexFemale:
		sex = "2"
	}
	birthday := ""
	if !who.BirthDate.IsZero() {
		birthday = who.BirthDate.Format("2006-01-02")
	}
	return api.Applicant{
		IDType:      idTypes[who.Card],
		IDNo:        who.Number,
		FullName:    who.Name,
		Sex:         sex,
		Birthday:    birthday,
		Nationality: who.Nation,
	}
}

// seal replaces each item by its sealed form (only the client ID in
// clear) when the client seals (Config.Seal). The envelope differs at each
// sending; the back office recognises a resend by what it decrypts to.
func (c *Client) seal(items []api.SubmissionItem) error {
	if c.cfg.Seal == nil {
		return nil
	}
	for i, it := range items {
		plain, err := json.Marshal(it)
		if err != nil {
			return err
		}
		env, err := c.cfg.Seal(it.ClientID, plain)
		if err != nil {
			return fmt.Errorf("uplink: sealing submission %s: %w", it.ClientID, err)
		}
		items[i] = api.SubmissionItem{ClientID: it.ClientID, Sealed: env}
	}
	return nil
}
