// C++ protobuf peer for the codec benchmark (built and run by scripts/bench_cpp.sh).
//
// usage: codec_bench PAYLOAD.bin
//
// Measures, for a clarifai.api.MultiAnnotationResponse read from PAYLOAD.bin:
//   decode/plain   a fresh stack message per op: ParseFromArray, then its destructor
//   decode/arena   one Arena reused for every op and Reset() after each (default
//                  ArenaOptions, no initial block): Arena::CreateMessage + ParseFromArray
//   encode/string  SerializeToString into a fresh std::string per op (the analogue of
//                  Swift's `serializedBytes() -> [UInt8]`: one result allocation per op)
//   encode/buffer  SerializeToArray into a preallocated buffer (ByteSizeLong + write,
//                  no allocation)
// Encodes serialize the message decoded (plain) from the payload.
//
// Each measurement is calibrated to about BENCH_SECONDS (default 1.0) per run and repeated
// BENCH_RUNS (default 5) times, the cases interleaved round by round; the median run is
// reported. Allocations per op are counted
// in a separate, untimed pass through the interposed malloc in
// Benchmarks/Sources/MallocCounter (shared with the Swift benchmark).
//
// Output: a human-readable report, then one line `#json {...}` for the aggregator.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include <google/protobuf/arena.h>
#include <google/protobuf/stubs/common.h>

#include "clarifai/api/service.pb.h"
#include "MallocCounter.h"

using clarifai::api::MultiAnnotationResponse;
using Clock = std::chrono::steady_clock;

namespace {

double env_double(const char* name, double dflt) {
    const char* v = std::getenv(name);
    return v && *v ? std::atof(v) : dflt;
}

// Keeps results alive so the optimizer cannot drop the work.
volatile size_t g_sink;

struct Result {
    std::string name;
    double ns_per_op;
    double mb_per_s;
    double allocs_per_op;
    double bytes_alloc_per_op;
    uint64_t iterations;
};

double run_for(const std::function<void()>& op, uint64_t n) {
    auto t0 = Clock::now();
    for (uint64_t i = 0; i < n; i++) op();
    auto t1 = Clock::now();
    return std::chrono::duration<double, std::nano>(t1 - t0).count();
}

struct Case {
    std::string name;
    size_t bytes;
    std::function<void()> op;
    uint64_t n = 1;
    std::vector<double> per_op;
};

// Calibrates every case to about BENCH_SECONDS per run, then runs BENCH_RUNS rounds, each
// round running every case once (so a noisy neighbour hits all cases alike); reports the
// median run of each case. Allocations are counted afterwards in an untimed pass.
std::vector<Result> measure_all(std::vector<Case>& cases) {
    const double target_ns = env_double("BENCH_SECONDS", 1.0) * 1e9;
    const int runs = std::max(1, (int)env_double("BENCH_RUNS", 5));
    for (Case& c : cases) {
        // Warm up and calibrate: double n until a run takes >= 5% of the target.
        uint64_t n = 1;
        double t = run_for(c.op, n);
        while (t < target_ns * 0.05) {
            n *= 2;
            t = run_for(c.op, n);
        }
        c.n = std::max<uint64_t>(1, (uint64_t)std::ceil(n * target_ns / t));
    }
    for (int r = 0; r < runs; r++)
        for (Case& c : cases) c.per_op.push_back(run_for(c.op, c.n) / (double)c.n);

    std::vector<Result> results;
    for (Case& c : cases) {
        std::sort(c.per_op.begin(), c.per_op.end());
        double med = c.per_op[c.per_op.size() / 2];
        const int count_ops = 16;
        mc_start();
        for (int i = 0; i < count_ops; i++) c.op();
        mc_counts m = mc_stop();
        Result res{c.name, med, c.bytes / med * 1e3, (double)m.allocations / count_ops,
                   (double)m.bytes / count_ops, c.n};
        std::printf("%-14s %12.0f ns/op %9.1f MB/s %9.1f allocs/op %10.0f B alloc/op  (%llu iters x %d runs)\n",
                    c.name.c_str(), res.ns_per_op, res.mb_per_s, res.allocs_per_op,
                    res.bytes_alloc_per_op, (unsigned long long)c.n, runs);
        results.push_back(res);
    }
    std::fflush(stdout);
    return results;
}

}  // namespace

int main(int argc, char** argv) {
    GOOGLE_PROTOBUF_VERIFY_VERSION;
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s PAYLOAD.bin\n", argv[0]);
        return 2;
    }
    std::ifstream in(argv[1], std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "cannot read %s\n", argv[1]);
        return 1;
    }
    const std::string payload((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const size_t size = payload.size();

    MultiAnnotationResponse decoded;
    if (!decoded.ParseFromString(payload) || decoded.ByteSizeLong() != size ||
        decoded.annotations_size() != 128) {
        std::fprintf(stderr, "payload does not decode as a 128-annotation MultiAnnotationResponse\n");
        return 1;
    }
    if (!mc_active()) {
        std::fprintf(stderr, "warning: malloc interposer is not active; allocation counts are 0\n");
    }

    std::printf("C++ protobuf %d.%d.%d (libprotobuf), payload %zu bytes\n",
                GOOGLE_PROTOBUF_VERSION / 1000000, GOOGLE_PROTOBUF_VERSION / 1000 % 1000,
                GOOGLE_PROTOBUF_VERSION % 1000, size);

    google::protobuf::Arena arena;
    std::vector<char> buffer(size + 64);
    std::vector<Case> cases;
    cases.push_back({"decode/plain", size, [&] {
        MultiAnnotationResponse m;
        if (!m.ParseFromArray(payload.data(), (int)size)) std::abort();
        g_sink = m.annotations_size();
    }});
    cases.push_back({"decode/arena", size, [&] {
        auto* m = google::protobuf::Arena::CreateMessage<MultiAnnotationResponse>(&arena);
        if (!m->ParseFromArray(payload.data(), (int)size)) std::abort();
        g_sink = m->annotations_size();
        arena.Reset();
    }});
    cases.push_back({"encode/string", size, [&] {
        std::string out;
        decoded.SerializeToString(&out);
        g_sink = out.size();
    }});
    cases.push_back({"encode/buffer", size, [&] {
        size_t n = decoded.ByteSizeLong();
        if (!decoded.SerializeToArray(buffer.data(), (int)n)) std::abort();
        g_sink = n;
    }});
    std::vector<Result> results = measure_all(cases);

    std::ostringstream js;
    js << "{\"impl\":\"cpp\",\"protobuf_version\":" << GOOGLE_PROTOBUF_VERSION
       << ",\"payload_bytes\":" << size << ",\"results\":{";
    for (size_t i = 0; i < results.size(); i++) {
        const Result& r = results[i];
        char buf[256];
        std::snprintf(buf, sizeof buf,
                      "%s\"%s\":{\"ns_per_op\":%.1f,\"mb_per_s\":%.2f,\"allocs_per_op\":%.2f,"
                      "\"alloc_bytes_per_op\":%.0f,\"iterations\":%llu}",
                      i ? "," : "", r.name.c_str(), r.ns_per_op, r.mb_per_s, r.allocs_per_op,
                      r.bytes_alloc_per_op, (unsigned long long)r.iterations);
        js << buf;
    }
    js << "}}";
    std::printf("#json %s\n", js.str().c_str());
    google::protobuf::ShutdownProtobufLibrary();
    return 0;
}
