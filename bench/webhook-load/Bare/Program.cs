var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();

// Reads the body (as any receiver must) and answers 202: no token check, no JSON, no commit.
app.MapPost("/webhooks/gitlab", async (HttpRequest request) =>
{
    await request.Body.CopyToAsync(Stream.Null);
    return Results.Accepted();
});
app.Run();
