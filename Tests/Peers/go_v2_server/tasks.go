package main

import (
	"context"
	"sort"

	pb "clarifaipeer/clarifai/api"
	pbstatus "clarifaipeer/clarifai/api/status"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// The only PatchAnnotationsStatus action the API documents.
const statusActionOverwrite = "overwrite"

// PatchAnnotationsStatus sets status.code to status_code on the annotations of task_id
// (required, else 11102) whose user is in user_ids and whose current code is in status_codes
// (each filter only when given). action must be "overwrite" or empty (else 11102), and
// status_code must be set (else 11102). The response lists the users whose annotations
// changed, sorted, and how many changed.
func (s *v2Server) PatchAnnotationsStatus(ctx context.Context, req *pb.PatchAnnotationsStatusRequest) (*pb.PatchAnnotationsStatusResponse, error) {
	if bad := s.authFailure(ctx); bad != nil {
		return &pb.PatchAnnotationsStatusResponse{Status: bad}, nil
	}
	switch {
	case req.TaskId == "":
		return &pb.PatchAnnotationsStatusResponse{Status: badRequest("task_id is required")}, nil
	case req.Action != "" && req.Action != statusActionOverwrite:
		return &pb.PatchAnnotationsStatusResponse{Status: badRequest("action must be 'overwrite'")}, nil
	case req.StatusCode == 0:
		return &pb.PatchAnnotationsStatusResponse{Status: badRequest("status_code is required")}, nil
	}
	userIDs := setOf(req.UserIds)
	codes := map[pbstatus.StatusCode]bool{}
	for _, c := range req.StatusCodes {
		codes[c] = true
	}
	now := timestamppb.Now()
	changedUsers := map[string]bool{}
	var updated uint32
	s.store.do(func(tx txn) {
		for _, a := range tx.all() {
			user := annotationUser(a)
			if taskOf(a) != req.TaskId || (len(userIDs) > 0 && !userIDs[user]) ||
				(len(codes) > 0 && !codes[a.Status.GetCode()]) {
				continue
			}
			patched := proto.Clone(a).(*pb.Annotation)
			patched.Status = &pbstatus.Status{Code: req.StatusCode, Description: req.StatusCode.String()}
			patched.ModifiedAt = now
			tx.put(patched)
			updated++
			if user != "" {
				changedUsers[user] = true
			}
		}
	})
	users := make([]string, 0, len(changedUsers))
	for u := range changedUsers {
		users = append(users, u)
	}
	sort.Strings(users)
	return &pb.PatchAnnotationsStatusResponse{Status: okStatus(), UserIds: users, UpdatedCount: updated}, nil
}

// GetTaskAnnotationCount counts the annotations of task_id (required, else 11102) per worker
// (see workerOf) and by status: 24151 pending, 24157 awaiting review, 24150 success, 24158
// review denied, 24159 awaiting consensus review (other codes are not counted, but the worker
// is listed). user_ids and model_version_ids, when given, keep the union (as the official
// .proto says) of those users' annotations and those with one of those (deprecated)
// model_version_id values. Counts are sorted by worker. workflow_version_ids is ignored.
func (s *v2Server) GetTaskAnnotationCount(ctx context.Context, req *pb.GetTaskCountRequest) (*pb.SingleTaskCountResponse, error) {
	if bad := s.authFailure(ctx); bad != nil {
		return &pb.SingleTaskCountResponse{Status: bad}, nil
	}
	if req.TaskId == "" {
		return &pb.SingleTaskCountResponse{Status: badRequest("task_id is required")}, nil
	}
	userIDs, modelVersions, workflowVersions := setOf(req.UserIds), setOf(req.ModelVersionIds), setOf(req.WorkflowVersionIds)
	byWorker := map[string]*pb.TaskStatusCountPerUser{}
	for _, a := range s.store.all() {
		w := workerOf(a)
		filtered := len(userIDs) > 0 || len(modelVersions) > 0 || len(workflowVersions) > 0
		// The union of those users' annotations and those of the model and workflow versions
		// (the worker's, or the deprecated model_version_id).
		ofVersion := modelVersions[a.ModelVersionId] && a.ModelVersionId != "" ||
			modelVersions[a.GetWorker().GetModel().GetModelVersion().GetId()] && a.GetWorker().GetModel().GetModelVersion().GetId() != "" ||
			workflowVersions[a.GetWorker().GetWorkflow().GetVersion().GetId()] && a.GetWorker().GetWorkflow().GetVersion().GetId() != ""
		if taskOf(a) != req.TaskId || w == nil || (filtered && !userIDs[annotationUser(a)] && !ofVersion) {
			continue
		}
		count := byWorker[workerKey(w)]
		if count == nil {
			count = &pb.TaskStatusCountPerUser{UserId: w.GetUser().GetId(), Worker: w}
			byWorker[workerKey(w)] = count
		}
		switch a.Status.GetCode() {
		case codeAnnotationPending:
			count.Pending++
		case codeAwaitingReview:
			count.AwaitingReview++
		case codeAnnotationSuccess:
			count.Success++
		case codeReviewDenied:
			count.ReviewDenied++
		case codeAwaitingConsensus:
			count.AwaitingConsensusReview++
		}
	}
	keys := make([]string, 0, len(byWorker))
	for k := range byWorker {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	counts := make([]*pb.TaskStatusCountPerUser, len(keys))
	for i, k := range keys {
		counts[i] = byWorker[k]
	}
	return &pb.SingleTaskCountResponse{
		Status: okStatus(), AppId: req.UserAppId.GetAppId(), TaskId: req.TaskId, Counts: counts,
	}, nil
}

// taskOf is the task an annotation belongs to: its task_id, or else annotation_info.task_id
// (a string), as the emulator reads it.
func taskOf(a *pb.Annotation) string {
	if a.TaskId != "" {
		return a.TaskId
	}
	if value, ok := a.GetAnnotationInfo().GetFields()["task_id"]; ok {
		return value.GetStringValue()
	}
	return ""
}
