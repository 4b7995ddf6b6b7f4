using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Nautilus.Core;
using Nautilus.Core.Configuration;
using Nautilus.Core.GitLab;
using Nautilus.Core.Http;
using Nautilus.Core.Secrets;
using Nautilus.Testing;

namespace Nautilus.Tests.GitLab;

public sealed class GitLabClientTests : IDisposable
{
    private const long ProjectId = 42;
    private const string Token = "glpat-bot-token-0123456789";
    private readonly GitLabFake _gitlab = new();
    private readonly List<ServiceProvider> _providers = [];

    public GitLabClientTests()
    {
        _gitlab.WithUser(7, "project_42_bot_1a2b", Token, bot: true)
            .WithUser(8, "alice", "glpat-alice-0123456789")
            .WithJobToken("job-token-abcdef", 8)
            .WithProject(ProjectId, "infra/dc1")
            .WithMergeRequest(ProjectId, 5, "feature/dc1-refresh");
    }

    public void Dispose()
    {
        foreach (var provider in _providers)
        {
            provider.Dispose();
        }

        _gitlab.Dispose();
    }

    private GitLabClient Client(string? token = Token, GitLabTokenKind kind = GitLabTokenKind.Private)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddGitLab(new GitLabOptions
        {
            ApiUrl = GitLabOptions.ApiUrlOf(_gitlab.Url),
            Token = token,
            TokenKind = kind,
            TokenOrigin = kind == GitLabTokenKind.Job ? "CI_JOB_TOKEN" : "NAUTILUS_GITLAB_TOKEN",
            Resilience = new ResilienceSettings { MaxRetries = 3, BaseDelay = TimeSpan.FromMilliseconds(10), MaxRetryAfter = TimeSpan.FromSeconds(2) },
        });
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        return provider.GetRequiredService<GitLabClient>();
    }

    [Fact]
    public async Task MergeRequest_ProjectByPath_SendsEncodedPath()
    {
        var mr = await Client().MergeRequestAsync(GitLabProjectRef.Parse("infra/dc1", "test"), 5, CancellationToken.None);

        Assert.Equal(5, mr.Iid);
        Assert.Equal("feature/dc1-refresh", mr.SourceBranch);
        Assert.Single(_gitlab.RequestsTo("GET", "/projects/infra%2Fdc1/merge_requests/5"));
    }

    [Fact]
    public async Task MergeRequestNotes_SeveralPages_FollowsNextPageWithoutTotals()
    {
        _gitlab.OmitTotals = true;
        _gitlab.WithChatter(ProjectId, 5, 8, 230);

        var notes = new List<GitLabNote>();
        await foreach (var note in Client().MergeRequestNotesAsync(GitLabProjectRef.Parse("42", "test"), 5, CancellationToken.None))
        {
            notes.Add(note);
        }

        Assert.Equal(230, notes.Count);
        Assert.Equal("Looks good to me (1).", notes[0].Body);
        Assert.Equal(3, _gitlab.RequestsTo("GET", "/notes").Count());
    }

    [Fact]
    public async Task CurrentUser_RateLimitedWithRetryAfter_RetriesAndSucceeds()
    {
        _gitlab.RateLimitNext(1, retryAfter: "1");

        var user = await Client().CurrentUserAsync(CancellationToken.None);

        Assert.Equal("project_42_bot_1a2b", user.Username);
        Assert.Equal(2, _gitlab.RequestsTo("GET", "/user").Count());
    }

    [Fact]
    public async Task CurrentUser_RateLimitedWithResetEpochOnly_RetriesAndSucceeds()
    {
        _gitlab.RateLimitNext(2, retryAfter: null, resetEpoch: DateTimeOffset.UtcNow.ToUnixTimeSeconds());

        var user = await Client().CurrentUserAsync(CancellationToken.None);

        Assert.Equal(7, user.Id);
        Assert.Equal(3, _gitlab.RequestsTo("GET", "/user").Count());
    }

    [Fact]
    public async Task CurrentUser_RateLimitedBeyondRetries_FailsAsUnavailable()
    {
        _gitlab.RateLimitNext(10, retryAfter: "0");

        var ex = await Assert.ThrowsAsync<NautilusException>(() => Client().CurrentUserAsync(CancellationToken.None));

        Assert.Equal(ExitCode.UpstreamUnavailable, ex.Code);
        Assert.Contains("429", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CurrentUser_UnknownToken_FailsAsAuthNamingTheVariable()
    {
        var ex = await Assert.ThrowsAsync<NautilusException>(() => Client("glpat-revoked-000000000").CurrentUserAsync(CancellationToken.None));

        Assert.Equal(ExitCode.AuthenticationFailed, ex.Code);
        Assert.Contains("NAUTILUS_GITLAB_TOKEN", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MergeRequest_UnknownIid_FailsAsInvalidDataNamingTheRequest()
    {
        var ex = await Assert.ThrowsAsync<NautilusException>(() =>
            Client().MergeRequestAsync(GitLabProjectRef.Parse("42", "test"), 99, CancellationToken.None));

        Assert.Equal(ExitCode.InvalidData, ex.Code);
        Assert.Contains("merge_requests/99", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task File_NestedPathWithJobToken_ReturnsContentAndNullWhenAbsent()
    {
        _gitlab.WithFile(ProjectId, "abc123", "docs/work-packages/dc1-refresh.md", "---\nnetbox: {}\n---\n");
        var client = Client("job-token-abcdef", GitLabTokenKind.Job);
        var project = GitLabProjectRef.Parse("42", "test");

        var content = await client.FileAsync(project, "docs/work-packages/dc1-refresh.md", "abc123", CancellationToken.None);
        var missing = await client.FileAsync(project, "docs/work-packages/other.md", "abc123", CancellationToken.None);

        Assert.Equal("---\nnetbox: {}\n---\n", content);
        Assert.Null(missing);
        Assert.Single(_gitlab.RequestsTo("GET", "/repository/files/docs%2Fwork-packages%2Fdc1-refresh.md/raw"));
        Assert.All(_gitlab.Requests, r => Assert.True(r.RequestMessage.Headers!.ContainsKey("JOB-TOKEN")));
    }

    [Fact]
    public async Task TerraformState_WithJobToken_ParsesVersion4AndNullWhenAbsent()
    {
        _gitlab.WithTerraformState(ProjectId, "dc1-refresh-database", """
            {"version":4,"terraform_version":"1.9.8","serial":3,"lineage":"5b1c","outputs":{"ip":{"value":"10.0.0.5","type":"string"}},
             "resources":[{"mode":"managed","type":"vsphere_virtual_machine","name":"db_01","provider":"provider[\"registry.terraform.io/hashicorp/vsphere\"]",
               "instances":[{"schema_version":3,"attributes":{"name":"db-01","num_cpus":4,"memory":8192}}]}]}
            """);
        var client = Client("job-token-abcdef", GitLabTokenKind.Job);
        var project = GitLabProjectRef.Parse("infra/dc1", "test");

        var state = await client.TerraformStateAsync(project, "dc1-refresh-database", CancellationToken.None);
        var none = await client.TerraformStateAsync(project, "dc1-refresh-storage", CancellationToken.None);

        Assert.NotNull(state);
        Assert.Equal(3, state.Serial);
        Assert.Equal("vsphere_virtual_machine.db_01", state.ResourceList[0].Address);
        Assert.Equal(8192, state.ResourceList[0].Instances![0].Attributes.GetProperty("memory").GetInt32());
        Assert.Null(none);
    }

    [Fact]
    public async Task TerraformState_Version3_FailsAsInvalidData()
    {
        _gitlab.WithTerraformState(ProjectId, "old", """{"version":3,"serial":1,"modules":[]}""");

        var ex = await Assert.ThrowsAsync<NautilusException>(() =>
            Client().TerraformStateAsync(GitLabProjectRef.Parse("42", "t"), "old", CancellationToken.None));

        Assert.Equal(ExitCode.InvalidData, ex.Code);
        Assert.Contains("version 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateNote_JobToken_FailsAsAuthExplainingTheAllowlist()
    {
        var client = Client("job-token-abcdef", GitLabTokenKind.Job);

        var ex = await Assert.ThrowsAsync<NautilusException>(() =>
            client.CreateMergeRequestNoteAsync(GitLabProjectRef.Parse("42", "t"), 5, "hello", CancellationToken.None));

        Assert.Equal(ExitCode.AuthenticationFailed, ex.Code);
        Assert.Contains("CI_JOB_TOKEN", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CurrentUser_TokenRotatedInSecretSource_RereadsOnceAndSucceeds()
    {
        var secrets = new RotatingSecrets("glpat-rotated-new-token-0001");
        _gitlab.WithUser(77, "project_42_bot_rotated", "glpat-rotated-new-token-0001", bot: true);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddGitLab(new GitLabOptions
        {
            ApiUrl = GitLabOptions.ApiUrlOf(_gitlab.Url),
            Token = "glpat-revoked-old-token-0000",
            TokenKind = GitLabTokenKind.Private,
            Secrets = secrets,
            Resilience = new ResilienceSettings { MaxRetries = 1, BaseDelay = TimeSpan.FromMilliseconds(10) },
        });
        using var provider = services.BuildServiceProvider();

        var user = await provider.GetRequiredService<GitLabClient>().CurrentUserAsync(CancellationToken.None);

        Assert.Equal(77, user.Id);
        Assert.Equal(1, secrets.Invalidations);
        Assert.Equal(2, _gitlab.RequestsTo("GET", "/user").Count());
    }

    /// <summary>A secret source whose GitLab token was rotated: the cached value is stale until invalidated.</summary>
    private sealed class RotatingSecrets(string fresh) : ISecretSource
    {
        public int Invalidations { get; private set; }

        public Task<string?> GetAsync(SecretName name, CancellationToken cancellationToken) =>
            Task.FromResult<string?>(Invalidations > 0 ? fresh : "glpat-revoked-old-token-0000");

        public void Invalidate(SecretName name) => Invalidations++;
    }

    [Fact]
    public async Task Options_FromEnvironment_PrefersAccessTokenThenJobToken()
    {
        var env = new DictionaryEnvironment(new Dictionary<string, string> { ["CI_SERVER_URL"] = "https://gitlab.example.com", ["CI_JOB_TOKEN"] = "job" });
        var ci = CiEnvironment.From(env);
        var redactor = new SecretRedactor();
        var withToken = NautilusConfiguration.Build(new DictionaryEnvironment(new Dictionary<string, string> { ["NAUTILUS_GITLAB_TOKEN"] = "glpat-xyz" }));
        var without = NautilusConfiguration.Build(env);

        var a = await GitLabOptions.ResolveAsync(withToken, ci, new ConfigurationSecretSource(withToken, redactor), ResilienceSettings.Default,
            CancellationToken.None);
        var b = await GitLabOptions.ResolveAsync(without, ci, new ConfigurationSecretSource(without, redactor), ResilienceSettings.Default,
            CancellationToken.None);

        Assert.Equal((GitLabTokenKind.Private, "https://gitlab.example.com/api/v4/"), (a.TokenKind, a.ApiUrl.ToString()));
        Assert.Equal(GitLabTokenKind.Job, b.TokenKind);
        Assert.Throws<NautilusException>(() => b.RequireWriteToken("Posting the plan note"));
        Assert.Equal("https://gitlab.example.com/api/v4/", GitLabOptions.ApiUrlOf("https://gitlab.example.com/api/v4").ToString());
    }
}
