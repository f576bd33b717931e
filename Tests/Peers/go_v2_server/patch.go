package main

import (
	pb "clarifaipeer/clarifai/api"
	pbstatus "clarifaipeer/clarifai/api/status"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/structpb"
)

// The PatchAnnotations actions (PatchAnnotationsRequest.action, field 3).
const (
	actionMerge     = "merge"
	actionOverwrite = "overwrite"
	actionRemove    = "remove"
)

// applyPatch is a new annotation: `old` with `given` applied as clarifai_v2_server.py does it.
//   - overwrite: data becomes given.data (an absent one empties it); annotation_info is
//     replaced when given.
//   - merge: given.data is merged in (protobuf merge: repeated fields append, set scalars
//     replace); annotation_info is merged when given (keys replace keys).
//   - remove: the concepts and regions of old.data whose ids given.data names are dropped.
//
// A given status replaces the old one in every action.
func applyPatch(old, given *pb.Annotation, action string) *pb.Annotation {
	patched := proto.Clone(old).(*pb.Annotation)
	switch action {
	case actionOverwrite:
		patched.Data = cloneData(given.Data)
		if given.AnnotationInfo != nil {
			patched.AnnotationInfo = proto.Clone(given.AnnotationInfo).(*structpb.Struct)
		}
	case actionMerge:
		if patched.Data == nil {
			patched.Data = &pb.Data{}
		}
		if given.Data != nil {
			proto.Merge(patched.Data, given.Data)
		}
		if given.AnnotationInfo != nil {
			if patched.AnnotationInfo == nil {
				patched.AnnotationInfo = &structpb.Struct{}
			}
			proto.Merge(patched.AnnotationInfo, given.AnnotationInfo)
		}
	case actionRemove:
		if patched.Data != nil {
			removeByID(patched.Data, given.Data)
		}
	}
	if given.Status != nil {
		patched.Status = proto.Clone(given.Status).(*pbstatus.Status)
	}
	return patched
}

// removeByID drops from data the concepts and regions whose ids named names.
func removeByID(data, named *pb.Data) {
	conceptIDs, regionIDs := map[string]bool{}, map[string]bool{}
	for _, c := range named.GetConcepts() {
		conceptIDs[c.Id] = true
	}
	for _, r := range named.GetRegions() {
		regionIDs[r.Id] = true
	}
	concepts := data.Concepts[:0]
	for _, c := range data.Concepts {
		if !conceptIDs[c.Id] {
			concepts = append(concepts, c)
		}
	}
	data.Concepts = concepts
	regions := data.Regions[:0]
	for _, r := range data.Regions {
		if !regionIDs[r.Id] {
			regions = append(regions, r)
		}
	}
	data.Regions = regions
}

func cloneData(data *pb.Data) *pb.Data {
	if data == nil {
		return &pb.Data{}
	}
	return proto.Clone(data).(*pb.Data)
}

// dataIsEmpty is true when data has no field set (PatchAnnotationsRequest.delete_if_empty_data).
func dataIsEmpty(data *pb.Data) bool { return data == nil || proto.Size(data) == 0 }
