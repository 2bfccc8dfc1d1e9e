namespace HwSim.CostModels.Sensitivity;

/// <summary>A linear op's weight: its layer (−1 outside the decoder layers), name within the layer, and N × K shape.</summary>
public sealed record LinearOpShape(int Layer, string Op, int OutFeatures, int InFeatures);
