namespace ShmIpc.Harness.Parent.Recommendation;

/// <summary>The recommendation: which transport and codec, and why, each reason a sentence citing a rule or a measured figure.</summary>
internal sealed record Advice(string Transport, string Codec, IReadOnlyList<string> Reasons);
