using HwSim.Numerics.Formats;

namespace HwSim.Arch.Fast;

/// <summary>
/// Mean stored weight bits the BitMoD paper's simulator assumes for its baselines (abdelfattah-lab/BitMoD-HPCA-25
/// @e445a5f bitmod_sim/test_ant.py and test_olive.py; profiled offline): ANT mixes 4- and 8-bit layers, OliVe is
/// 4-bit except on LLaMA-3-8B. Expressed exactly as a storage format: b + 1/g bits is b bits plus 1 bit per g.
/// </summary>
public static class PaperWeightBits
{
    public static StorageFormat? For(string family, string model) => (family, model) switch
    {
        ("ant", "yi-6b") => new StorageFormat("ant-mean-5.25b", 5, 4, 1),
        ("ant", "llama-2-13b") => new StorageFormat("ant-mean-4b", 4),
        ("ant", "opt-1.3b" or "phi-2" or "llama-2-7b" or "llama-3-8b") => new StorageFormat("ant-mean-5b", 5),
        ("ovp", "llama-3-8b") => new StorageFormat("olive-mean-4.5b", 4, 2, 1),
        ("ovp", "opt-1.3b" or "phi-2" or "yi-6b" or "llama-2-7b" or "llama-2-13b") => new StorageFormat("olive-mean-4b", 4),
        _ => null,
    };
}
