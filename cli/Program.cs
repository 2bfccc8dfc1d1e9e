using HwSim.Cli;

return HwSimCli.Run(args, Console.Out, Console.Error);
