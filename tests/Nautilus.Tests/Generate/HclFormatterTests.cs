using Nautilus.Core.Rendering;

namespace Nautilus.Tests.Generate;

/// <summary>
/// HclFormatter on its own: the layout hclwrite.Format gives (what `terraform fmt` applies). The generated code is
/// also checked by the real HCL parser in -fmt mode (IacGenerateTests); these pin each rule with a small input.
/// </summary>
public sealed class HclFormatterTests
{
    [Fact]
    public void Format_NestedBlocks_IndentsTwoSpacesPerDepthAndAlignsEachRunOfAttributes()
    {
        const string Input = """
            resource "vsphere_virtual_machine" "web" {
            name = "web-01"
                  num_cpus_per_socket = 2
            disk {
            label = "disk0"
            size = 52
            }
            tags = ["a", "b"]
            }

            """;

        Assert.Equal(
            """
            resource "vsphere_virtual_machine" "web" {
              name                = "web-01"
              num_cpus_per_socket = 2
              disk {
                label = "disk0"
                size  = 52
              }
              tags = ["a", "b"]
            }

            """.ReplaceLineEndings("\n"),
            HclFormatter.Format(Input));
    }

    [Fact]
    public void Format_BlankLines_DropsThemAfterOpeningAndBeforeClosingAndCollapsesRepeats()
    {
        const string Input = "\n\nlocals {\n\n  a = 1\n\n\n\n  b = 2\n\n}\n\n\n";

        Assert.Equal("locals {\n  a = 1\n\n  b = 2\n}\n", HclFormatter.Format(Input));
    }

    [Fact]
    public void Format_ComparisonsStringsAndComments_AreNotAssignmentsOrBrackets()
    {
        const string Input = """
            locals {
            enabled = var.x == "a" ? true : false
            ok = var.y != 1 && var.z >= 2
            text = "a = b { ["
            # a comment with { and =
            // another with ]
            after = 1
            }
            """;

        Assert.Equal(
            """
            locals {
              enabled = var.x == "a" ? true : false
              ok      = var.y != 1 && var.z >= 2
              text    = "a = b { ["
              # a comment with { and =
              // another with ]
              after = 1
            }

            """.ReplaceLineEndings("\n"),
            HclFormatter.Format(Input));
    }

    [Fact]
    public void Format_MultiLineValue_IsNotAlignedButItsContentIs()
    {
        const string Input = "x = {\na = 1\nbb = 2\n}\ny = 3\nlonger_name = [\n\"v\",\n]\n";

        Assert.Equal("x = {\n  a  = 1\n  bb = 2\n}\ny = 3\nlonger_name = [\n  \"v\",\n]\n", HclFormatter.Format(Input));
    }

    [Fact]
    public void Format_EscapedQuoteInString_KeepsScanningTheRestOfTheStringAsText()
    {
        const string Input = "a = \"say \\\"{\\\"\"\nbb = 2\n";

        Assert.Equal("a  = \"say \\\"{\\\"\"\nbb = 2\n", HclFormatter.Format(Input));
    }

    [Fact]
    public void Format_CrLfInput_WritesLfAndIsIdempotent()
    {
        const string Input = "module \"m\" {\r\nsource = \"./m\"\r\nvalue = 1\r\n}\r\n";

        var once = HclFormatter.Format(Input);

        Assert.Equal("module \"m\" {\n  source = \"./m\"\n  value  = 1\n}\n", once);
        Assert.Equal(once, HclFormatter.Format(once));
    }
}
