package main

import (
	"fmt"

	"google.golang.org/grpc/encoding"
	"google.golang.org/protobuf/proto"
)

// protoCodec replaces grpc-go's "proto" codec with one on google.golang.org/protobuf (APIv2).
//
// Debian's golang-google-grpc-dev 1.33 depends on golang-github-golang-protobuf-1-3-dev |
// ...-1-5-dev, and apt picks 1.3.5: grpc-go's own codec then goes through github.com/golang/
// protobuf 1.3's table-driven (un)marshaller, which cannot handle messages that protoc-gen-go
// 1.28 generates (it panics: "protobuf tag not enough fields in ListAnnotationsRequest.state").
// Marshalling with APIv2 directly works with either golang/protobuf version.
type protoCodec struct{}

// codecName is the content-subtype grpc-go looks up for `application/grpc` and
// `application/grpc+proto`.
const codecName = "proto"

func init() { encoding.RegisterCodec(protoCodec{}) }

func (protoCodec) Name() string { return codecName }

func (protoCodec) Marshal(v interface{}) ([]byte, error) {
	message, ok := v.(proto.Message)
	if !ok {
		return nil, fmt.Errorf("codec: %T is not a protobuf message", v)
	}
	return proto.Marshal(message)
}

func (protoCodec) Unmarshal(data []byte, v interface{}) error {
	message, ok := v.(proto.Message)
	if !ok {
		return fmt.Errorf("codec: %T is not a protobuf message", v)
	}
	return proto.Unmarshal(data, message)
}
