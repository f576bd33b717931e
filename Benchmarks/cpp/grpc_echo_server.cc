// The transport benchmark's server: C++ gRPC (Debian's libgrpc++ 1.51) answering
// /clarifai.api.V2/PostAnnotations and /clarifai.api.V2/ListAnnotations with canned
// MultiAnnotationResponse bytes, so that it parses no protobuf and is not the bottleneck.
//
//   grpc_echo_server PAYLOAD_DIR [--tls CERT KEY] [--threads N] [--max-seconds S]
//
// PAYLOAD_DIR comes from scripts/bench_transport_payloads.py: post_response.bin answers
// PostAnnotations; list_response_<n>.bin answers a ListAnnotations whose per_page is n
// (list_response_20.bin for any other per_page). per_page is found by walking the request's
// top-level fields (a 20-byte message), the only look the server takes at a request.
// Any other method gets UNIMPLEMENTED.
//
// grpc::AsyncGenericService (byte-buffer passthrough) with N completion queues, one thread
// each (--threads, default 1; scripts/bench_transport.py passes 2, one per core, which served
// h2load's 64-in-flight load 20-50 % faster than one thread on this 2-core machine).
// Binds 127.0.0.1 port 0 and prints `PORT <n>` (flushed) once serving; everything else goes
// to stderr. Serves h2c, or TLS (ALPN h2) with --tls. Exits on SIGTERM/SIGINT, on stdin EOF
// when stdin is a pipe, or after --max-seconds (default 1800), printing
// `STATS calls=<n> user_s=<u> sys_s=<s>` to stdout first. SIGUSR1 prints the same line and
// keeps serving.
#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/security/server_credentials.h>

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

std::atomic<unsigned long long> g_calls{0};

std::string ReadFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "grpc_echo_server: cannot read %s\n", path.c_str());
        std::exit(2);
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

grpc::ByteBuffer MakeBuffer(const std::string& bytes) {
    grpc::Slice slice(bytes.data(), bytes.size());
    return grpc::ByteBuffer(&slice, 1);
}

struct Canned {
    grpc::ByteBuffer post;
    grpc::ByteBuffer list_default;
    std::map<unsigned long long, grpc::ByteBuffer> list_by_per_page;
};

// per_page (field 8, varint) of a ListAnnotationsRequest, or 0. Skips the other fields.
unsigned long long PerPage(const grpc::ByteBuffer& request) {
    grpc::Slice slice;
    if (!request.DumpToSingleSlice(&slice).ok()) return 0;
    const uint8_t* p = slice.begin();
    const uint8_t* end = slice.end();
    auto varint = [&](unsigned long long* out) -> bool {
        unsigned long long v = 0;
        for (int shift = 0; shift < 64 && p < end; shift += 7) {
            uint8_t b = *p++;
            v |= static_cast<unsigned long long>(b & 0x7f) << shift;
            if (!(b & 0x80)) { *out = v; return true; }
        }
        return false;
    };
    unsigned long long per_page = 0;
    while (p < end) {
        unsigned long long tag, v;
        if (!varint(&tag)) return 0;
        switch (tag & 7) {
            case 0: if (!varint(&v)) return 0; if ((tag >> 3) == 8) per_page = v; break;
            case 1: if (end - p < 8) return 0; p += 8; break;
            case 2: if (!varint(&v) || static_cast<unsigned long long>(end - p) < v) return 0; p += v; break;
            case 5: if (end - p < 4) return 0; p += 4; break;
            default: return 0;
        }
    }
    return per_page;
}

// One call: RequestCall -> Read (the message) -> Read (the half-close) -> WriteAndFinish (or
// Finish with UNIMPLEMENTED) -> delete.
class Call {
  public:
    Call(grpc::AsyncGenericService* service, grpc::ServerCompletionQueue* cq, const Canned* canned)
        : service_(service), cq_(cq), canned_(canned), stream_(&ctx_) {
        service_->RequestCall(&ctx_, &stream_, cq_, cq_, this);
    }

    void Proceed(bool ok) {
        switch (state_) {
            case State::kRequested:
                if (!ok) { delete this; return; }  // shutting down
                new Call(service_, cq_, canned_);
                state_ = State::kReading;
                stream_.Read(&request_, this);
                return;
            case State::kReading:
                if (!ok) {
                    state_ = State::kFinishing;
                    stream_.Finish(grpc::Status(grpc::StatusCode::INTERNAL, "no request message"), this);
                    return;
                }
                // Wait for the client's half-close before answering, as a unary call expects.
                // Answering first lets grpc-core reset streams whose END_STREAM has not arrived
                // (RST_STREAM NO_ERROR), and swift-nio-http2 (under grpc-swift-2) allows only 200
                // RST_STREAMs / stream errors per 30 s before GOAWAY(ENHANCE_YOUR_CALM): that
                // killed grpc-swift-2's connection at 16 in flight. For clients that put
                // END_STREAM on the request's DATA frame this Read completes at once.
                state_ = State::kDraining;
                stream_.Read(&extra_, this);
                return;
            case State::kDraining: {
                state_ = State::kFinishing;
                const std::string& method = ctx_.method();
                if (method == "/clarifai.api.V2/PostAnnotations") {
                    stream_.WriteAndFinish(canned_->post, grpc::WriteOptions(), grpc::Status::OK, this);
                } else if (method == "/clarifai.api.V2/ListAnnotations") {
                    auto it = canned_->list_by_per_page.find(PerPage(request_));
                    const grpc::ByteBuffer& response =
                        it == canned_->list_by_per_page.end() ? canned_->list_default : it->second;
                    stream_.WriteAndFinish(response, grpc::WriteOptions(), grpc::Status::OK, this);
                } else {
                    stream_.Finish(grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "Method not found!"), this);
                }
                return;
            }
            case State::kFinishing:
                g_calls.fetch_add(1, std::memory_order_relaxed);
                delete this;
                return;
        }
    }

  private:
    enum class State { kRequested, kReading, kDraining, kFinishing };
    grpc::AsyncGenericService* service_;
    grpc::ServerCompletionQueue* cq_;
    const Canned* canned_;
    grpc::GenericServerContext ctx_;
    grpc::GenericServerAsyncReaderWriter stream_;
    grpc::ByteBuffer request_;
    grpc::ByteBuffer extra_;
    State state_ = State::kRequested;
};

void PrintStats() {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    std::printf("STATS calls=%llu user_s=%.6f sys_s=%.6f\n", g_calls.load(),
                ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6, ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6);
    std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s PAYLOAD_DIR [--tls CERT KEY] [--threads N] [--max-seconds S]\n", argv[0]);
        return 2;
    }
    std::string dir = argv[1];
    std::string cert, key;
    int threads = 1;
    double max_seconds = 1800;
    for (int i = 2; i < argc; i++) {
        std::string a = argv[i];
        if (a == "--tls" && i + 2 < argc) { cert = argv[++i]; key = argv[++i]; }
        else if (a == "--threads" && i + 1 < argc) { threads = std::max(1, std::atoi(argv[++i])); }
        else if (a == "--max-seconds" && i + 1 < argc) { max_seconds = std::atof(argv[++i]); }
        else { std::fprintf(stderr, "grpc_echo_server: unknown argument %s\n", a.c_str()); return 2; }
    }

    // Signals are handled by one thread with sigwait; block them before gRPC starts threads.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    Canned canned;
    canned.post = MakeBuffer(ReadFile(dir + "/post_response.bin"));
    canned.list_default = MakeBuffer(ReadFile(dir + "/list_response_20.bin"));
    for (unsigned long long n : {20ULL, 128ULL}) {
        std::string path = dir + "/list_response_" + std::to_string(n) + ".bin";
        struct stat st;
        if (stat(path.c_str(), &st) == 0) canned.list_by_per_page[n] = MakeBuffer(ReadFile(path));
    }

    std::shared_ptr<grpc::ServerCredentials> creds;
    if (!cert.empty()) {
        grpc::SslServerCredentialsOptions options;
        options.pem_key_cert_pairs.push_back({ReadFile(key), ReadFile(cert)});
        creds = grpc::SslServerCredentials(options);
    } else {
        creds = grpc::InsecureServerCredentials();
    }

    grpc::AsyncGenericService service;
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", creds, &port);
    builder.RegisterAsyncGenericService(&service);
    std::vector<std::unique_ptr<grpc::ServerCompletionQueue>> cqs;
    for (int i = 0; i < threads; i++) cqs.push_back(builder.AddCompletionQueue());
    std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
    if (!server || port == 0) {
        std::fprintf(stderr, "grpc_echo_server: could not start\n");
        return 1;
    }

    std::vector<std::thread> workers;
    for (auto& cq : cqs) {
        grpc::ServerCompletionQueue* q = cq.get();
        for (int i = 0; i < 300; i++) new Call(&service, q, &canned);  // > 256 calls in flight
        workers.emplace_back([q] {
            void* tag;
            bool ok;
            while (q->Next(&tag, &ok)) static_cast<Call*>(tag)->Proceed(ok);
        });
    }
    std::printf("PORT %d\n", port);
    std::fflush(stdout);
    std::fprintf(stderr, "grpc_echo_server: %s on 127.0.0.1:%d, %d completion queue thread(s)\n",
                 cert.empty() ? "h2c" : "TLS", port, threads);

    // Stop on stdin EOF when stdin is a pipe (the parent went away).
    struct stat st;
    if (fstat(0, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode))) {
        std::thread([] {
            char buf[256];
            while (read(0, buf, sizeof buf) > 0) {}
            PrintStats();
            _exit(0);
        }).detach();
    }
    std::thread([max_seconds] {
        std::this_thread::sleep_for(std::chrono::duration<double>(max_seconds));
        std::fprintf(stderr, "grpc_echo_server: --max-seconds reached\n");
        PrintStats();
        _exit(0);
    }).detach();

    for (;;) {
        int sig = 0;
        sigwait(&signals, &sig);
        PrintStats();
        if (sig != SIGUSR1) _exit(0);  // no graceful shutdown needed: a benchmark peer
    }
}
