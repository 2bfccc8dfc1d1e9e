using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(HwSim.Bench.KernelBenchmarks).Assembly).Run(args);
