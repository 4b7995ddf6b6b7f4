#!/usr/bin/env python3
# The 10,000-VM input of bench/generate and bench/generate-check: VMs exactly as NetBox 4.6 returns them (nested
# role/site/cluster/platform/IP, tags, custom fields), so the export parse is part of what is measured. Each wave
# has its own deployment_sequence, hence one level per wave.
# Usage: export.py OUT.json VMS WAVES
import json, sys
path, vms, waves = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def ref(kind, i, name, slug=None):
    r = {"id": i, "url": f"https://netbox.example.com/api/{kind}/{i}/", "display": name, "name": name, "description": ""}
    if slug: r["slug"] = slug
    return r
def tag(i, name):
    return {"id": i, "url": f"https://netbox.example.com/api/extras/tags/{i}/", "display_url": f"https://netbox.example.com/extras/tags/{i}/",
            "display": name, "name": name, "slug": name.replace(":", "-"), "color": "9e9e9e"}
wp = tag(1, "wp:bench")
roles = [ref("dcim/device-roles", 10 + r, n, n.lower().replace(" ", "-")) for r, n in enumerate(["Web Server", "Database Server", "Cache", "Worker"])]
clusters = [ref("virtualization/clusters", 20 + c, f"vsphere-prod-{c}") for c in range(4)]
site = ref("dcim/sites", 2, "DC1", "dc1")
platform = ref("dcim/platforms", 4, "Ubuntu 24.04", "ubuntu-24-04")
out = []
for i in range(vms):
    w = i * waves // vms
    ip = {"id": 100000 + i, "url": f"https://netbox.example.com/api/ipam/ip-addresses/{100000 + i}/", "display": f"10.{w}.{i // 250 % 250}.{i % 250 + 1}/16",
          "family": {"value": 4, "label": "IPv4"}, "address": f"10.{w}.{i // 250 % 250}.{i % 250 + 1}/16", "description": "", "dns_name": "", "nat_inside": None, "nat_outside": []}
    out.append({"id": 1000 + i, "url": f"https://netbox.example.com/api/virtualization/virtual-machines/{1000 + i}/",
        "display_url": f"https://netbox.example.com/virtualization/virtual-machines/{1000 + i}/", "display": f"bench-vm-{i:05d}", "name": f"bench-vm-{i:05d}",
        "virtual_machine_type": None, "role": roles[i % 4], "status": {"value": "planned", "label": "Planned"}, "start_on_boot": {"value": "off", "label": "Off"},
        "site": site, "cluster": clusters[i % 4], "device": None, "platform": platform, "primary_ip": ip, "primary_ip4": ip, "primary_ip6": None,
        "vcpus": float(2 + i % 7), "memory": 4096 * (1 + i % 4), "disk": 51200, "description": f"Bench VM {i}", "serial": "", "tenant": None, "owner": None,
        "comments": "", "tags": [wp, tag(2 + w, f"wave:wave-{w:02d}"), tag(100 + i % 3, ["priority:high", "priority:medium", "priority:low"][i % 3])],
        "local_context_data": None, "config_template": None,
        "custom_fields": {"deployment_sequence": 10 * (w + 1), "deployment_wave": None, "estimated_duration": 30, "rollback_complexity": "low"},
        "created": "2026-10-01T09:00:00.000000Z", "last_updated": "2026-11-20T14:30:00.000000Z", "interface_count": 1, "virtual_disk_count": 0})
tags = [wp] + [tag(2 + w, f"wave:wave-{w:02d}") for w in range(waves)] + [tag(100 + p, n) for p, n in enumerate(["priority:high", "priority:medium", "priority:low"])]
json.dump({"netbox_version": "4.6.8", "virtual_machines": out, "devices": [], "tags": tags}, open(path, "w"))
