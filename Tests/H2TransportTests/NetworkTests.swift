@_exported import TestPeers
import Testing

/// Every suite that starts peers or opens connections: one at a time, so that servers, timings
/// and descriptor counts do not interfere on a 2-core machine.
@Suite(.serialized) enum NetworkTests {}
