import ArgumentParser
import Foundation
import ProtoWire

extension WireCommand {
    /// Schema drift: what a newer official release changes for a client of the package's mirror.
    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare the package's mirror of the official definitions with a descriptor set.",
            discussion: """
                Looks up every message, field, enum value, V2 method and REST binding of the \
                package's mirror (\(MirroredSchema.release), see `wire schema`) in --descriptor-set \
                and lists what was removed, renumbered, retyped or renamed (breaking for a client of \
                the mirror) and what was added (compatible). Official fields of the messages the \
                mirror declares in part or empty are counted, not listed, unless --all.

                With --base, compares that set with --descriptor-set instead (two official releases).

                With --json: {"base", "breaking", "compatible", "not_mirrored" (the three counts, as \
                the text summary gives them), "changes": [{"kind", "subject", "before", "after", \
                "breaking"}]}, every change included.

                Example (with the clarifai-grpc release to check installed; the script is in the \
                package's repository): scripts/official_descriptor_set.py newer.pb && \
                annotations wire diff --descriptor-set newer.pb

                Exit status:
                  0   nothing breaks a client of the mirror (or of --base)
                  1   something does (listed)
                  64  usage error: a bad or missing flag, a file that is not a descriptor set
                  74  a descriptor set could not be read
                """
        )

        @Option(name: .customLong("descriptor-set"), help: "The serialized FileDescriptorSet to compare with.")
        var path: String
        @Option(help: "Compare this FileDescriptorSet with --descriptor-set instead of the package's mirror.")
        var base: String?
        @Flag(help: "List the official fields the mirror leaves out on purpose, too.") var all = false
        @Flag(help: "The changes as JSON.") var json = false

        func run() throws {
            let candidate = try DescriptorSetOptions.load(path)
            let baseSet =
                try base.map { try DescriptorSetOptions.load($0, flag: "--base") } ?? MirroredSchema.descriptorSet
            let baseName = base ?? "the package's mirror (\(MirroredSchema.release))"
            // A set of other definitions would list every message as removed: say so instead.
            guard !Set(baseSet.messageTypeNames).isDisjoint(with: candidate.messageTypeNames) else {
                throw ValidationError("--descriptor-set \(path) has none of the messages of \(baseName)")
            }
            let diff =
                base == nil
                ? SchemaDiff(from: baseSet, to: candidate, notMirrored: MirroredSchema.messagesDeclaredInPart)
                : SchemaDiff(from: baseSet, to: candidate)
            let breaking = diff.changes.filter(\.isBreaking).count
            if json {
                print(jsonReport(diff, base: baseName, breaking: breaking))
            } else {
                printReport(diff, base: baseName, breaking: breaking)
            }
            if breaking > 0 { throw ExitCode(1) }
        }

        private func printReport(_ diff: SchemaDiff, base: String, breaking: Int) {
            let notMirrored = diff.changes.filter { $0.kind == .fieldNotMirrored }
            for change in diff.changes where all || change.kind != .fieldNotMirrored {
                print(change)
            }
            let compatible = diff.changes.count - breaking - notMirrored.count
            var summary = "\(path) against \(base): "
            summary += breaking == 0 ? "nothing breaking" : "\(breaking) breaking change\(breaking == 1 ? "" : "s")"
            summary += ", \(compatible) compatible change\(compatible == 1 ? "" : "s")"
            if !notMirrored.isEmpty {
                let messages = Set(
                    notMirrored.map { $0.subject.split(separator: ".").dropLast().joined(separator: ".") })
                summary += "; \(notMirrored.count) official fields of \(messages.count) messages declared in part"
                summary += " or empty are not mirrored" + (all ? "" : " (--all lists them)")
            }
            print(summary)
        }

        private func jsonReport(_ diff: SchemaDiff, base: String, breaking: Int) -> String {
            let changes: [[String: Any]] = diff.changes.map {
                [
                    "kind": $0.kind.rawValue, "subject": $0.subject, "before": $0.before, "after": $0.after,
                    "breaking": $0.isBreaking,
                ]
            }
            let notMirrored = diff.changes.filter { $0.kind == .fieldNotMirrored }.count
            let object: [String: Any] = [
                "base": base, "breaking": breaking, "compatible": diff.changes.count - breaking - notMirrored,
                "not_mirrored": notMirrored, "changes": changes,
            ]
            return jsonText(object)
        }
    }
}
