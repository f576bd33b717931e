package main

import (
	"crypto/rand"
	"encoding/hex"

	pbstatus "clarifaipeer/clarifai/api/status"
)

// The Clarifai status codes this peer answers (clarifai/api/status/status_code.proto).
const (
	codeSuccess           = pbstatus.StatusCode_SUCCESS              // 10000
	codeKeyInvalid        = pbstatus.StatusCode_CONN_KEY_INVALID     // 11008
	codeDoesNotExist      = pbstatus.StatusCode_CONN_DOES_NOT_EXIST  // 11101
	codeInvalidRequest    = pbstatus.StatusCode_CONN_INVALID_REQUEST // 11102
	codeAnnotationSuccess = pbstatus.StatusCode_ANNOTATION_SUCCESS   // 24150
	codeAnnotationPending = pbstatus.StatusCode_ANNOTATION_PENDING   // 24151
	codeAwaitingReview    = pbstatus.StatusCode_ANNOTATION_AWAITING_REVIEW
	codeReviewDenied      = pbstatus.StatusCode_ANNOTATION_REVIEW_DENIED
	codeAwaitingConsensus = pbstatus.StatusCode_ANNOTATION_AWAITING_CONSENSUS_REVIEW
	descriptionOK         = "Ok"
	descriptionKeyInvalid = "Invalid API key or Invalid API key/application pair"
	descriptionNotFound   = "Resource does not exist"
	descriptionBadRequest = "Invalid request"
)

// newStatus is a Clarifai Status with a fresh req_id, as the API sets on every response.
func newStatus(code pbstatus.StatusCode, description, details string) *pbstatus.Status {
	return &pbstatus.Status{Code: code, Description: description, Details: details, ReqId: randomHex()}
}

func okStatus() *pbstatus.Status { return newStatus(codeSuccess, descriptionOK, "") }

func notFound(details string) *pbstatus.Status {
	return newStatus(codeDoesNotExist, descriptionNotFound, details)
}

func badRequest(details string) *pbstatus.Status {
	return newStatus(codeInvalidRequest, descriptionBadRequest, details)
}

// randomHex is 32 lower-case hex digits (the form of Clarifai's generated ids and req_ids).
func randomHex() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // the kernel's random source does not fail on Linux
	}
	return hex.EncodeToString(b[:])
}
