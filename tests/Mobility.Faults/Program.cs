using Mobility.Faults;

// campaign: the fault campaign (see Campaign); node: one of its nodes (hidden, see NodeMode); anything else: xUnit v3's runner.
return args.FirstOrDefault() switch
{
    Campaign.Verb => await Campaign.MainAsync(args[1..]),
    NodeMode.Verb => await NodeMode.RunAsync(args[1..]),
    _ when args.Any(arg => arg is "--server" or "--internal-msbuild-node") =>
        await Xunit.MicrosoftTestingPlatform.TestPlatformTestFramework.RunAsync(args, SelfRegisteredExtensions.AddSelfRegisteredExtensions),
    _ => await Xunit.Runner.InProc.SystemConsole.ConsoleRunner.Run(args),
};
