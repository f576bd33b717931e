package main

import (
	"context"
	"strings"

	pbstatus "clarifaipeer/clarifai/api/status"

	"google.golang.org/grpc/metadata"
)

// authFailure checks the `authorization` metadata as Clarifai does: exactly one value of the
// form `Key <token>` (with --api-key, exactly `Key <that key>`). A failure is not a gRPC error:
// the call ends with gRPC status OK and the response carries status 11008 CONN_KEY_INVALID.
// It returns nil when the call may go on. The token is never logged.
func (s *v2Server) authFailure(ctx context.Context) *pbstatus.Status {
	md, _ := metadata.FromIncomingContext(ctx)
	values := md.Get("authorization")
	if len(values) == 1 {
		value := values[0]
		if s.apiKey != "" {
			if value == "Key "+s.apiKey {
				return nil
			}
		} else if strings.HasPrefix(value, "Key ") && strings.TrimSpace(value[4:]) != "" {
			return nil
		}
	}
	return newStatus(codeKeyInvalid, descriptionKeyInvalid, "authorization metadata missing or not 'Key <token>'")
}
