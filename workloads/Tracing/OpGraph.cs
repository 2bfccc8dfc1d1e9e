using QuikGraph;
using QuikGraph.Algorithms;

namespace HwSim.Workloads.Tracing;

/// <summary>The dependency DAG of a list of ops (edge a → b: b reads what a wrote), held in a QuikGraph graph.</summary>
public static class OpGraph
{
    public static AdjacencyGraph<int, Edge<int>> Build(IReadOnlyList<TraceOp> ops)
    {
        var graph = new AdjacencyGraph<int, Edge<int>>(allowParallelEdges: false, ops.Count);
        foreach (var op in ops) graph.AddVertex(op.Id);
        foreach (var op in ops)
        {
            foreach (int dependency in op.DependsOn)
            {
                if (!graph.ContainsVertex(dependency))
                    throw new InvalidDataException($"op {op.Id} ({op.Name}) depends on unknown op {dependency}");
                graph.AddEdge(new Edge<int>(dependency, op.Id));
            }
        }
        return graph;
    }

    /// <summary>A topological order of the ops: the default schedule. Fails on a cycle.</summary>
    public static IReadOnlyList<TraceOp> Schedule(IReadOnlyList<TraceOp> ops)
    {
        var byId = ops.ToDictionary(o => o.Id);
        try
        {
            return Build(ops).TopologicalSort().Select(id => byId[id]).ToList();
        }
        catch (NonAcyclicGraphException)
        {
            throw new InvalidDataException("op dependencies contain a cycle");
        }
    }
}
