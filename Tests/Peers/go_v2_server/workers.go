package main

import (
	"context"

	pb "clarifaipeer/clarifai/api"
	"google.golang.org/protobuf/proto"
)

// workerOf is who made the annotation: its worker when set, otherwise a user worker for its
// (deprecated) user_id, otherwise nil.
func workerOf(a *pb.Annotation) *pb.Worker {
	if a.Worker.GetWorker() != nil {
		return a.Worker
	}
	if a.UserId != "" {
		return &pb.Worker{Worker: &pb.Worker_User{User: &pb.User{Id: a.UserId}}}
	}
	return nil
}

// annotationUser is the id of the user who made the annotation ("" for a model or workflow).
func annotationUser(a *pb.Annotation) string {
	if a.Worker.GetWorker() != nil {
		return a.Worker.GetUser().GetId()
	}
	return a.UserId
}

// workerKey names a worker uniquely: "user:<id>", "model:<id>" or "workflow:<id>".
func workerKey(w *pb.Worker) string {
	switch kind := w.GetWorker().(type) {
	case *pb.Worker_User:
		return "user:" + kind.User.GetId()
	case *pb.Worker_Model:
		return "model:" + kind.Model.GetId()
	case *pb.Worker_Workflow:
		return "workflow:" + kind.Workflow.GetId()
	}
	return ""
}

// ListAnnotationWorkers lists the distinct workers of the stored annotations (see workerOf), in
// the order their first annotation was stored, paged with page/per_page (default 1/128). With
// trusted_only only trusted annotations count. additional_fields is ignored.
func (s *v2Server) ListAnnotationWorkers(ctx context.Context, req *pb.ListAnnotationWorkersRequest) (*pb.MultiWorkerResponse, error) {
	if bad := s.authFailure(ctx); bad != nil {
		return &pb.MultiWorkerResponse{Status: bad}, nil
	}
	seen := map[string]bool{}
	workers := []*pb.Worker{}
	for _, a := range s.store.all() {
		if req.TrustedOnly && !a.Trusted {
			continue
		}
		w := workerOf(a)
		if w == nil || seen[workerKey(w)] {
			continue
		}
		seen[workerKey(w)] = true
		if u := w.GetUser(); u != nil && !contains(req.AdditionalFields, "names") {
			// Real names only when asked for (Worker.user in the .proto).
			u = proto.Clone(u).(*pb.User)
			u.FirstName, u.LastName = "", ""
			w = &pb.Worker{Worker: &pb.Worker_User{User: u}}
		}
		workers = append(workers, w)
	}
	start, end := pageBounds(len(workers), req.Page, req.PerPage)
	return &pb.MultiWorkerResponse{Status: okStatus(), Workers: workers[start:end]}, nil
}

// workerMatches: the worker the filter names, and its model or workflow version when the
// filter gives one (Worker.isMatched(by:) in the emulator).
func workerMatches(author, wanted *pb.Worker) bool {
	if workerKey(author) != workerKey(wanted) {
		return false
	}
	if v := wanted.GetModel().GetModelVersion().GetId(); v != "" {
		return author.GetModel().GetModelVersion().GetId() == v
	}
	if v := wanted.GetWorkflow().GetVersion().GetId(); v != "" {
		return author.GetWorkflow().GetVersion().GetId() == v
	}
	return true
}

func contains(values []string, want string) bool {
	for _, v := range values {
		if v == want {
			return true
		}
	}
	return false
}
