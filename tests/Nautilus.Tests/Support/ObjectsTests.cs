namespace Nautilus.Tests.Support;

/// <summary>The test objects themselves: a tag's id must not depend on the process that built it.</summary>
public sealed class ObjectsTests
{
    [Fact]
    public void TagId_SameName_SameIdInEveryProcess()
    {
        // Fixed values: string.GetHashCode would give different ones in the next test run.
        Assert.Equal(589700, Objects.TagId("wp:alpha"));
        Assert.Equal(Objects.TagId("wave:db"), Objects.Vm(1, "a", tags: "wave:db").Tags.Single().Id);
        Assert.Equal(Objects.TagId("wave:db"), Objects.Device(2, "b", tags: "wave:db").Tags.Single().Id);
        Assert.NotEqual(Objects.TagId("wave:db"), Objects.TagId("wave:web"));
    }
}
