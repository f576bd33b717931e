package main

import (
	"context"
	"fmt"
	"time"

	pb "clarifaipeer/clarifai/api"
	pbstatus "clarifaipeer/clarifai/api/status"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// v2Server implements clarifai.api.V2 over the in-memory store. Every method answers a
// Clarifai status in its response and ends with gRPC status OK, as the API does; methods the
// protos declare but this peer does not implement answer grpc-go's UNIMPLEMENTED.
type v2Server struct {
	pb.UnimplementedV2Server
	store          *store
	apiKey         string
	counters       *counters
	streamInterval time.Duration
}

// The defaults of ListAnnotations' paging, as in clarifai_v2_server.py.
const (
	defaultPage    = 1
	defaultPerPage = 128
)

// PostAnnotations stores new annotations: an empty id gets 32 hex digits, a missing status
// becomes 24150 ANNOTATION_SUCCESS, user_id defaults to the request's user, created_at and
// modified_at are now. A known id fails the whole request with 11102 and stores nothing.
func (s *v2Server) PostAnnotations(ctx context.Context, req *pb.PostAnnotationsRequest) (*pb.MultiAnnotationResponse, error) {
	if bad := s.authFailure(ctx); bad != nil {
		return &pb.MultiAnnotationResponse{Status: bad}, nil
	}
	now := timestamppb.Now()
	out := make([]*pb.Annotation, 0, len(req.Annotations))
	var failure *pbstatus.Status
	s.store.do(func(tx txn) {
		seen := map[string]bool{}
		for _, given := range req.Annotations {
			a := proto.Clone(given).(*pb.Annotation)
			if a.Id == "" {
				a.Id = randomHex()
			}
			if tx.get(a.Id) != nil || seen[a.Id] {
				failure = badRequest(fmt.Sprintf("annotation id %q already exists", a.Id))
				return
			}
			seen[a.Id] = true
			if a.Status.GetCode() == 0 {
				a.Status = &pbstatus.Status{Code: codeAnnotationSuccess, Description: "Annotation success"}
			}
			if a.UserId == "" {
				a.UserId = req.UserAppId.GetUserId()
			}
			a.CreatedAt = now
			a.ModifiedAt = now
			out = append(out, a)
		}
		for _, a := range out {
			tx.put(a)
		}
	})
	if failure != nil {
		return &pb.MultiAnnotationResponse{Status: failure}, nil
	}
	return &pb.MultiAnnotationResponse{Status: okStatus(), Annotations: out}, nil
}

// ListAnnotations filters by ids, input_ids, user_ids, statuses and task_id (each only when
// given) and pages with page/per_page (default 1/128), in insertion order.
func (s *v2Server) ListAnnotations(ctx context.Context, req *pb.ListAnnotationsRequest) (*pb.MultiAnnotationResponse, error) {
	if bad := s.authFailure(ctx); bad != nil {
		return &pb.MultiAnnotationResponse{Status: bad}, nil
	}
	ids, inputIDs, userIDs := setOf(req.Ids), setOf(req.InputIds), setOf(req.UserIds)
	statuses := map[pbstatus.StatusCode]bool{}
	for _, st := range req.Statuses {
		statuses[st.GetCode()] = true
	}
	var items []*pb.Annotation
	for _, a := range s.store.all() {
		if (len(ids) > 0 && !ids[a.Id]) || (len(inputIDs) > 0 && !inputIDs[a.InputId]) ||
			(len(userIDs) > 0 && !userIDs[annotationUser(a)]) ||
			(len(statuses) > 0 && !statuses[a.Status.GetCode()]) ||
			(req.TaskId != "" && a.TaskId != req.TaskId) {
			continue
		}
		items = append(items, a)
	}
	return &pb.MultiAnnotationResponse{Status: okStatus(), Annotations: page(items, req.Page, req.PerPage)}, nil
}

// GetAnnotation matches annotation_id, and input_id when given; otherwise 11101.
func (s *v2Server) GetAnnotation(ctx context.Context, req *pb.GetAnnotationRequest) (*pb.SingleAnnotationResponse, error) {
	if bad := s.authFailure(ctx); bad != nil {
		return &pb.SingleAnnotationResponse{Status: bad}, nil
	}
	a := s.store.get(req.AnnotationId)
	if a == nil || (req.InputId != "" && a.InputId != req.InputId) {
		return &pb.SingleAnnotationResponse{Status: notFound(fmt.Sprintf("annotation %q not found", req.AnnotationId))}, nil
	}
	return &pb.SingleAnnotationResponse{Status: okStatus(), Annotation: a}, nil
}

// PatchAnnotations applies the action (merge, the default; overwrite; remove) to each named
// annotation (see patch.go). An unknown id fails the whole request with 11101 and changes
// nothing; an unknown action answers 11102.
func (s *v2Server) PatchAnnotations(ctx context.Context, req *pb.PatchAnnotationsRequest) (*pb.MultiAnnotationResponse, error) {
	if bad := s.authFailure(ctx); bad != nil {
		return &pb.MultiAnnotationResponse{Status: bad}, nil
	}
	action := req.Action
	if action == "" {
		action = actionMerge
	}
	if action != actionMerge && action != actionOverwrite && action != actionRemove {
		return &pb.MultiAnnotationResponse{Status: badRequest(fmt.Sprintf("unknown action %q", action))}, nil
	}
	now := timestamppb.Now()
	var out, doomed []*pb.Annotation
	var failure *pbstatus.Status
	s.store.do(func(tx txn) {
		for _, given := range req.Annotations {
			old := tx.get(given.Id)
			if old == nil {
				failure = notFound(fmt.Sprintf("annotation %q not found", given.Id))
				return
			}
			patched := applyPatch(old, given, action)
			patched.ModifiedAt = now
			if action == actionRemove && req.DeleteIfEmptyData && dataIsEmpty(patched.Data) {
				doomed = append(doomed, patched)
				continue
			}
			out = append(out, patched)
		}
		for _, a := range out {
			tx.put(a)
		}
		for _, a := range doomed {
			tx.delete(a.Id)
		}
	})
	if failure != nil {
		return &pb.MultiAnnotationResponse{Status: failure}, nil
	}
	return &pb.MultiAnnotationResponse{Status: okStatus(), Annotations: out}, nil
}

// DeleteAnnotation deletes by annotation_id (and input_id when given); otherwise 11101.
func (s *v2Server) DeleteAnnotation(ctx context.Context, req *pb.DeleteAnnotationRequest) (*pbstatus.BaseResponse, error) {
	if bad := s.authFailure(ctx); bad != nil {
		return &pbstatus.BaseResponse{Status: bad}, nil
	}
	found := false
	s.store.do(func(tx txn) {
		a := tx.get(req.AnnotationId)
		if a == nil || (req.InputId != "" && a.InputId != req.InputId) {
			return
		}
		found = true
		tx.delete(a.Id)
	})
	if !found {
		return &pbstatus.BaseResponse{Status: notFound(fmt.Sprintf("annotation %q not found", req.AnnotationId))}, nil
	}
	return &pbstatus.BaseResponse{Status: okStatus()}, nil
}

// DeleteAnnotations deletes the annotations whose id is in ids (when given) and whose input is
// in input_ids (when given): ids alone, ids of those inputs, or every annotation of the
// inputs. With neither it deletes nothing. Unknown ids are not an error.
func (s *v2Server) DeleteAnnotations(ctx context.Context, req *pb.DeleteAnnotationsRequest) (*pbstatus.BaseResponse, error) {
	if bad := s.authFailure(ctx); bad != nil {
		return &pbstatus.BaseResponse{Status: bad}, nil
	}
	ids, inputIDs := setOf(req.Ids), setOf(req.InputIds)
	if len(ids) == 0 && len(inputIDs) == 0 {
		return &pbstatus.BaseResponse{Status: okStatus()}, nil
	}
	s.store.do(func(tx txn) {
		for _, a := range tx.all() {
			if (len(ids) == 0 || ids[a.Id]) && (len(inputIDs) == 0 || inputIDs[a.InputId]) {
				tx.delete(a.Id)
			}
		}
	})
	return &pbstatus.BaseResponse{Status: okStatus()}, nil
}

func setOf(values []string) map[string]bool {
	set := make(map[string]bool, len(values))
	for _, v := range values {
		set[v] = true
	}
	return set
}

// page is items[(page-1)*perPage : page*perPage], with 0 meaning the default.
func page(items []*pb.Annotation, pageNumber, perPage uint32) []*pb.Annotation {
	start, end := pageBounds(len(items), pageNumber, perPage)
	return items[start:end]
}

// pageBounds is the slice [start, end) of n items that page pageNumber of perPage items holds
// (0 means the default, 1 and 128).
func pageBounds(n int, pageNumber, perPage uint32) (start, end int) {
	if pageNumber == 0 {
		pageNumber = defaultPage
	}
	if perPage == 0 {
		perPage = defaultPerPage
	}
	first := uint64(pageNumber-1) * uint64(perPage)
	if first >= uint64(n) {
		return n, n
	}
	last := first + uint64(perPage)
	if last > uint64(n) {
		last = uint64(n)
	}
	return int(first), int(last)
}
