import ArgumentParser

@main
struct AnnotationsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "annotations",
        abstract: "Clarifai annotations over gRPC, from the command line.",
        subcommands: [WireCommand.self, DemoCommand.self]
    )
}
