using System.Text.Json;
using System.Text.Json.Serialization;

namespace Messenger.Web.Api;

/// <summary>Source-generated readers for the request bodies the edge owns (no reflection on the hot path).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(MessageEndpoints.SendBody))]
[JsonSerializable(typeof(ConversationEndpoints.ReadBody))]
[JsonSerializable(typeof(ReceiptEndpoints.ReceivedBody))]
[JsonSerializable(typeof(GroupEndpoints.CreateGroupBody))]
[JsonSerializable(typeof(GroupEndpoints.RenameGroupBody))]
[JsonSerializable(typeof(GroupEndpoints.MemberBody))]
internal sealed partial class EdgeJson : JsonSerializerContext;
