package main

import (
	"context"
	"errors"
	"sort"
	"strconv"
	"sync/atomic"
	"time"

	pb "clarifaipeer/clarifai/api"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// intervalHeader overrides --stream-interval-ms for one StreamAnnotations call: the pause, in
// milliseconds, before each message (for slow-stream and deadline tests).
const intervalHeader = "x-stream-interval-ms"

// StreamAnnotations streams the frame annotations of input_id (required, else one message
// with 11102), one message per annotation, ordered by frame number (frames[0].frame_info.number),
// then frame time, then insertion order. Annotations without frames are not streamed.
//
// Filters, as the official .proto comments describe them: frame numbers in
// [frame_number_start, frame_number_start + max_frames - 1] and times (ms) in
// [frame_time_start, frame_time_start + max_duration - 1], an unset or larger max_frames /
// max_duration meaning 216000 frames / 3600000 ms; track_ids (some region of the annotation,
// in data or in a frame's data, has one of those track ids); annotation_type (bit flags: TAG
// for concepts, BOUNDING_BOX, POLYGON, POINT, SPAN, MASK for region shapes; any overlap keeps
// the annotation); worker (same user, model or workflow id); min_prediction_score above 0 (a
// concept with metadata.prediction_score at least that).
//
// Each message has status 10000, and frame_fully_processed is true on the last message of each
// frame number. No matching annotation: no message, gRPC status OK. A missing key: one message
// with 11008. The selection is a snapshot taken when the call starts.
func (s *v2Server) StreamAnnotations(req *pb.StreamAnnotationsRequest, stream pb.V2_StreamAnnotationsServer) error {
	ctx := stream.Context()
	if bad := s.authFailure(ctx); bad != nil {
		return stream.Send(&pb.SingleStreamAnnotationResponse{Status: bad})
	}
	if req.InputId == "" {
		return stream.Send(&pb.SingleStreamAnnotationResponse{Status: badRequest("input_id is required")})
	}
	interval := s.streamIntervalFor(stream)
	selected := selectFrames(s.store.all(), req)
	for i, item := range selected {
		if interval > 0 {
			timer := time.NewTimer(interval)
			select {
			case <-timer.C:
			case <-ctx.Done():
				timer.Stop()
			}
		}
		if ctx.Err() != nil {
			return s.streamEnded(ctx.Err())
		}
		last := i == len(selected)-1 || selected[i+1].number != item.number
		response := &pb.SingleStreamAnnotationResponse{
			Status: okStatus(), Annotation: item.annotation, FrameFullyProcessed: last,
		}
		if err := stream.Send(response); err != nil {
			if ctx.Err() != nil {
				return s.streamEnded(ctx.Err())
			}
			return s.streamEnded(err)
		}
	}
	return nil
}

// streamEnded counts a stream the client left early and returns the status the call ends
// with. After a reset the client reads none; after the deadline (grpc-timeout) grpc-go may
// still send it, so it must be DEADLINE_EXCEEDED, as the client's own timer would say.
func (s *v2Server) streamEnded(cause error) error {
	atomic.AddInt64(&s.counters.cancelled, 1)
	switch {
	case errors.Is(cause, context.DeadlineExceeded):
		return status.Error(codes.DeadlineExceeded, cause.Error())
	case errors.Is(cause, context.Canceled):
		return status.Error(codes.Canceled, cause.Error())
	}
	if _, isStatus := status.FromError(cause); isStatus {
		return cause
	}
	return status.Error(codes.Canceled, cause.Error())
}

func (s *v2Server) streamIntervalFor(stream pb.V2_StreamAnnotationsServer) time.Duration {
	md, _ := metadata.FromIncomingContext(stream.Context())
	if values := md.Get(intervalHeader); len(values) > 0 {
		if ms, err := strconv.ParseFloat(values[0], 64); err == nil && ms >= 0 {
			return time.Duration(ms * float64(time.Millisecond))
		}
	}
	return s.streamInterval
}

// frameItem is one annotation to stream, with its frame's number and time (ms).
type frameItem struct {
	annotation *pb.Annotation
	number     uint32
	time       uint64
}

// The defaults and maxima of max_frames and max_duration (60 minutes at 60 frames per second).
const (
	maxStreamFrames   = 216000
	maxStreamDuration = 3600000
)

// selectFrames applies StreamAnnotations' filters and order (see there) to the stored
// annotations, given in insertion order.
func selectFrames(stored []*pb.Annotation, req *pb.StreamAnnotationsRequest) []frameItem {
	trackIDs := setOf(req.TrackIds)
	var wantWorker *pb.Worker
	if req.Worker.GetWorker() != nil {
		wantWorker = req.Worker
	}
	frames := uint64(req.MaxFrames)
	if frames == 0 || frames > maxStreamFrames {
		frames = maxStreamFrames
	}
	duration := req.MaxDuration
	if duration == 0 || duration > maxStreamDuration {
		duration = maxStreamDuration
	}
	lastNumber := uint64(req.FrameNumberStart) + frames - 1
	lastTime := req.FrameTimeStart + duration - 1
	if lastTime < req.FrameTimeStart {
		lastTime = ^uint64(0)
	}
	var items []frameItem
	for _, a := range stored {
		frames := a.Data.GetFrames()
		if a.InputId != req.InputId || len(frames) == 0 {
			continue
		}
		info := frames[0].GetFrameInfo()
		item := frameItem{annotation: a, number: info.GetNumber(), time: info.GetTime()}
		switch {
		case item.number < req.FrameNumberStart, uint64(item.number) > lastNumber:
			continue
		case item.time < req.FrameTimeStart, item.time > lastTime:
			continue
		case len(trackIDs) > 0 && !hasTrack(a.Data, trackIDs):
			continue
		case req.AnnotationType != 0 && dataTypes(a.Data)&uint32(req.AnnotationType) == 0:
			continue
		case wantWorker != nil && (workerOf(a) == nil || !workerMatches(workerOf(a), wantWorker)):
			continue
		case req.MinPredictionScore > 0 && !hasPredictionScore(a.Data, float64(req.MinPredictionScore)):
			continue
		}
		items = append(items, item)
	}
	// Stable: equal frames keep insertion order.
	sort.SliceStable(items, func(i, j int) bool {
		if items[i].number != items[j].number {
			return items[i].number < items[j].number
		}
		return items[i].time < items[j].time
	})
	return items
}

// hasPredictionScore is true when a concept of data (its own, its regions', its frames') has
// metadata.prediction_score of at least min.
func hasPredictionScore(data *pb.Data, min float64) bool {
	found := false
	check := func(concepts []*pb.Concept) {
		for _, c := range concepts {
			if v, ok := c.GetMetadata().GetFields()["prediction_score"]; ok && float32(v.GetNumberValue()) >= float32(min) {
				found = true
			}
		}
	}
	check(data.GetConcepts())
	for _, f := range data.GetFrames() {
		check(f.GetData().GetConcepts())
	}
	eachRegion(data, func(r *pb.Region) { check(r.GetData().GetConcepts()) })
	return found
}

// hasTrack is true when a region of data, or of one of its frames' data, has one of the ids.
func hasTrack(data *pb.Data, trackIDs map[string]bool) bool {
	found := false
	eachRegion(data, func(r *pb.Region) { found = found || trackIDs[r.TrackId] })
	return found
}

// dataTypes is the AnnotationDataType bits that data holds: TAG for concepts (its own or its
// regions' or frames'), and the shape of each region.
func dataTypes(data *pb.Data) uint32 {
	var bits uint32
	if len(data.GetConcepts()) > 0 {
		bits |= uint32(pb.AnnotationDataType_TAG)
	}
	for _, f := range data.GetFrames() {
		if len(f.GetData().GetConcepts()) > 0 {
			bits |= uint32(pb.AnnotationDataType_TAG)
		}
	}
	eachRegion(data, func(r *pb.Region) {
		info := r.GetRegionInfo()
		if len(r.GetData().GetConcepts()) > 0 {
			bits |= uint32(pb.AnnotationDataType_TAG)
		}
		if info.GetBoundingBox() != nil {
			bits |= uint32(pb.AnnotationDataType_BOUNDING_BOX)
		}
		if info.GetPolygon() != nil {
			bits |= uint32(pb.AnnotationDataType_POLYGON)
		}
		if info.GetPoint() != nil {
			bits |= uint32(pb.AnnotationDataType_POINT)
		}
		if info.GetSpan() != nil {
			bits |= uint32(pb.AnnotationDataType_SPAN)
		}
		if info.GetMask() != nil {
			bits |= uint32(pb.AnnotationDataType_MASK)
		}
	})
	return bits
}

// eachRegion calls f for the regions of data and of its frames' data.
func eachRegion(data *pb.Data, f func(*pb.Region)) {
	for _, r := range data.GetRegions() {
		f(r)
	}
	for _, frame := range data.GetFrames() {
		for _, r := range frame.GetData().GetRegions() {
			f(r)
		}
	}
}
