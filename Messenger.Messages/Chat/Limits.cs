namespace Messenger.Messages.Chat;

public static class Limits
{
    public const int MaxBodyBytes = 4096;
    public const int MaxFrameBytes = 32 * 1024;
    public const int MinPasswordLength = 8;
    public const int MaxPasswordLength = 256;
}
