namespace SessionInsights.Gateway.Capture;

/// <summary>Why a capture request is refused: the HTTP status and the field at fault.</summary>
public sealed record CaptureError(int Status, string Field, string Problem)
{
    public static CaptureError Invalid(string field, string problem) => new(400, field, problem);

    public static CaptureError TooLarge(string field, int max) => new(413, field, $"is larger than {max} bytes");
}
