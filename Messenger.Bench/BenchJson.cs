using System.Text.Json.Serialization;

namespace Messenger.Bench;

/// <summary>Source-generated (camelCase) JSON for the HTTP bodies: no reflection, trim-safe.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(SignUpRequest))]
[JsonSerializable(typeof(SignUpResponse))]
[JsonSerializable(typeof(SendRequest))]
[JsonSerializable(typeof(SeededHistory))]
internal sealed partial class BenchJson : JsonSerializerContext;
