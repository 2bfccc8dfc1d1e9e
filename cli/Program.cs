using HwSim.Cli;

using var cleanup = TerminationCleanup.Install();
return HwSimCli.Run(args, Console.Out, Console.Error);
