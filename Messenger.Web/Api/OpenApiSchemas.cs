using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Messenger.Messages.Chat;
using Messenger.Messages.Groups;
using Messenger.Web.Auth;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Messenger.Web.Api;

/// <summary>
/// What the generated schemas cannot know from the types: which fields are required. The answer shapes
/// (OpenApiShapes) always carry their non-nullable fields. The request records are all-nullable on purpose (a missing
/// field is the handler's clear <c>invalid_request</c>, not a deserialisation failure), so the fields the contract
/// requires are listed here. ErrorBody's <c>code</c> is one of the contract's codes.
/// </summary>
public static class OpenApiSchemas
{
    /// <summary>Request body fields the contract requires; the others are optional.</summary>
    public static readonly IReadOnlyDictionary<Type, string[]> RequiredRequestFields = new Dictionary<Type, string[]>
    {
        [typeof(AuthEndpoints.Credentials)] = ["username", "password"],
        [typeof(SessionEndpoints.PasswordChange)] = ["currentPassword", "newPassword"],
        [typeof(MessageEndpoints.SendBody)] = ["clientMessageId", "to", "body"],
        [typeof(ConversationEndpoints.ReadBody)] = ["upTo"],
        [typeof(GroupEndpoints.CreateGroupBody)] = ["name", "members"],
        [typeof(GroupEndpoints.RenameGroupBody)] = ["name"],
        [typeof(GroupEndpoints.MemberBody)] = ["userId"],
    };

    /// <summary>Message <c>kind</c>: absent for text (or "text"), else a group membership event.</summary>
    private static readonly string[] MessageKindNames =
    [
        MessageKinds.Text, MessageKinds.GroupCreated, MessageKinds.MemberAdded, MessageKinds.MemberRemoved,
        MessageKinds.MemberLeft, MessageKinds.GroupRenamed, MessageKinds.AdminAdded,
    ];

    public static readonly string[] ContractCodes =
    [
        ErrorCodes.InvalidRequest, ErrorCodes.Unauthorized, ErrorCodes.Forbidden, ErrorCodes.NotFound,
        ErrorCodes.UsernameTaken, ErrorCodes.TooLarge, ErrorCodes.RateLimited, ErrorCodes.Unavailable,
    ];

    public static Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        PlainNumber(schema);
        // A type's schema comes here on its own and again as each property of that type: all must agree.
        var type = context.JsonTypeInfo.Type;
        if (RequiredRequestFields.TryGetValue(type, out var fields)) Require(schema, fields, notNull: true);
        else if (type.DeclaringType == typeof(OpenApiShapes))
            Require(schema, NotNullable(schema).Where(name => !DeclaredNullable(type, name)), notNull: false);
        if (type == typeof(OpenApiShapes.ErrorBody) && PropertyOf(schema, "code") is OpenApiSchema code)
            code.Enum = ContractCodes.Select(c => (JsonNode)JsonValue.Create(c)).ToList();
        if (type == typeof(OpenApiShapes.GroupMember) && PropertyOf(schema, "role") is OpenApiSchema role)
            role.Enum = [JsonValue.Create(GroupRoles.Admin), JsonValue.Create(GroupRoles.Member)];
        if (type == typeof(OpenApiShapes.Message) && PropertyOf(schema, "kind") is OpenApiSchema kind)
            kind.Enum = MessageKindNames.Select(k => (JsonNode)JsonValue.Create(k)).ToList();
        return Task.CompletedTask;
    }

    /// <summary>
    /// The web JSON defaults read numbers from strings too, so a number comes out as "integer or numeric string";
    /// the contract's numbers are plain JSON numbers, in requests and answers.
    /// </summary>
    private static void PlainNumber(OpenApiSchema schema)
    {
        const JsonSchemaType numeric = JsonSchemaType.Integer | JsonSchemaType.Number;
        if (schema.Pattern is null || schema.Type is not { } kind || (kind & numeric) == 0 || (kind & JsonSchemaType.String) == 0)
            return;
        schema.Type = kind & ~JsonSchemaType.String;
        schema.Pattern = null;
    }

    /// <summary>A field the answer always carries: its schema does not allow null.</summary>
    private static IEnumerable<string> NotNullable(OpenApiSchema schema) =>
        (schema.Properties ?? new Dictionary<string, IOpenApiSchema>())
        .Where(p => p.Value.Type is not { } kind || (kind & JsonSchemaType.Null) == 0)
        .Where(p => p.Value.AnyOf?.Any(c => c.Type == JsonSchemaType.Null) != true && p.Value.OneOf?.Any(c => c.Type == JsonSchemaType.Null) != true)
        .Select(p => p.Key)
        .ToList();

    /// <summary>
    /// A property of an object type declared nullable (Conversation's <c>group</c>): in OpenAPI 3.0 a reference to a
    /// schema cannot say null, so its nullability comes from the shape's declaration.
    /// </summary>
    private static bool DeclaredNullable(Type type, string jsonName) =>
        type.GetProperties().FirstOrDefault(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name) == jsonName) is { } property
        && new NullabilityInfoContext().Create(property).ReadState == NullabilityState.Nullable;

    /// <summary>Exactly these are required (the generator marks every constructor parameter required).</summary>
    private static void Require(OpenApiSchema schema, IEnumerable<string> names, bool notNull)
    {
        schema.Required = new HashSet<string>();
        foreach (var name in names)
        {
            if (PropertyOf(schema, name) is not { } property) continue;
            schema.Required.Add(name);
            if (notNull && property is OpenApiSchema inline && inline.Type is { } kind) inline.Type = kind & ~JsonSchemaType.Null;
        }
    }

    private static IOpenApiSchema? PropertyOf(OpenApiSchema schema, string name) =>
        schema.Properties is { } properties && properties.TryGetValue(name, out var property) ? property : null;
}
