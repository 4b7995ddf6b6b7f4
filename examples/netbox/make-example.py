#!/usr/bin/env python3
# Writes dc1-refresh.json: a realistic NetBox 4.6 export of work package dc1-refresh (VMs and devices
# across several waves and levels, a cross-package dependency on power-upgrade, objects without a sequence,
# a wave set by custom field instead of a tag, one object already active). It plans without a warning:
# a first run shows clean output; the planner's warnings have their own tests.
import json, os
B="https://netbox.example.com"
tags={}
def tag(name,color="9e9e9e"):
    if name not in tags:
        i=len(tags)+11
        slug=name.replace(":","-")
        tags[name]={"id":i,"url":f"{B}/api/extras/tags/{i}/","display_url":f"{B}/extras/tags/{i}/","display":name,"name":name,"slug":slug,"color":color}
    return tags[name]
def ref(kind,i,name,slug=None,extra=None):
    d={"id":i,"url":f"{B}/api/{kind}/{i}/","display":name,"name":name,"description":""}
    if slug: d["slug"]=slug
    if extra: d.update(extra)
    return d
roles={"network":ref("dcim/device-roles",1,"Leaf Switch","leaf-switch"),"web":ref("dcim/device-roles",5,"Web Server","web-server"),
 "db":ref("dcim/device-roles",6,"Database Server","database-server"),"idm":ref("dcim/device-roles",7,"Identity","identity"),
 "storage":ref("dcim/device-roles",8,"Storage Gateway","storage-gateway"),"mon":ref("dcim/device-roles",9,"Monitoring","monitoring"),"pdu":ref("dcim/device-roles",10,"PDU","pdu")}
site=ref("dcim/sites",2,"DC1","dc1")
cluster=ref("virtualization/clusters",3,"vsphere-prod-a")
plat=ref("dcim/platforms",4,"Ubuntu 24.04","ubuntu-24-04")
eos=ref("dcim/platforms",12,"Arista EOS","eos")
def ip(i,addr):
    return {"id":i,"url":f"{B}/api/ipam/ip-addresses/{i}/","display":addr,"family":{"value":4,"label":"IPv4"},"address":addr,"description":"","dns_name":"","nat_inside":None,"nat_outside":[]}
def cf(seq=None,wave=None,dur=None,rb=None):
    return {"deployment_sequence":seq,"deployment_wave":wave,"estimated_duration":dur,"rollback_complexity":rb}
def status(v): return {"value":v,"label":v.capitalize()}
vms=[];devs=[]
def vm(i,name,role,seq,wave_tag=None,wave_cf=None,prio=None,extra_tags=(),st="planned",vcpus=2.0,mem=4096,disk=51200,ipaddr=None,desc="",dur=None,rb=None,wp="dc1-refresh"):
    t=[tag(f"wp:{wp}","2196f3")]
    if wave_tag: t.append(tag(f"wave:{wave_tag}","4caf50"))
    if prio: t.append(tag(f"priority:{prio}",{"high":"f44336","medium":"ff9800","low":"9e9e9e"}[prio]))
    t+= [tag(x) for x in extra_tags]
    vms.append({"id":i,"url":f"{B}/api/virtualization/virtual-machines/{i}/","display_url":f"{B}/virtualization/virtual-machines/{i}/","display":name,"name":name,
      "virtual_machine_type":None,"role":roles[role],"status":status(st),"start_on_boot":{"value":"off","label":"Off"},"site":site,"cluster":cluster,"device":None,"platform":plat,
      "primary_ip":ip(100+i,ipaddr) if ipaddr else None,"primary_ip4":ip(100+i,ipaddr) if ipaddr else None,"primary_ip6":None,
      "vcpus":vcpus,"memory":mem,"disk":disk,"description":desc,"serial":"","tenant":None,"owner":None,"comments":"","tags":t,"local_context_data":None,"config_template":None,
      "custom_fields":cf(seq,wave_cf,dur,rb),"created":"2026-10-01T09:00:00.000000Z","last_updated":"2026-11-20T14:30:00.000000Z","interface_count":1,"virtual_disk_count":0})
def dev(i,name,role,seq,wave_tag=None,prio=None,extra_tags=(),st="planned",ipaddr=None,wp="dc1-refresh",model="7050SX3-48YC8",platform=eos):
    t=[tag(f"wp:{wp}","2196f3")]
    if wave_tag: t.append(tag(f"wave:{wave_tag}","4caf50"))
    if prio: t.append(tag(f"priority:{prio}",{"high":"f44336","medium":"ff9800","low":"9e9e9e"}[prio]))
    t+= [tag(x) for x in extra_tags]
    devs.append({"id":i,"url":f"{B}/api/dcim/devices/{i}/","display_url":f"{B}/dcim/devices/{i}/","display":name,"name":name,
      "device_type":{"id":20,"url":f"{B}/api/dcim/device-types/20/","display":model,"manufacturer":{"id":1,"url":f"{B}/api/dcim/manufacturers/1/","display":"Arista","name":"Arista","slug":"arista","description":""},"model":model,"slug":model.lower(),"description":""},
      "role":roles[role],"tenant":None,"platform":platform,"serial":"","asset_tag":None,"site":site,"location":None,"rack":ref("dcim/racks",30,"R01"),"position":None,"face":None,"latitude":None,"longitude":None,
      "parent_device":None,"status":status(st),"airflow":None,"primary_ip":ip(200+i,ipaddr) if ipaddr else None,"primary_ip4":ip(200+i,ipaddr) if ipaddr else None,"primary_ip6":None,"oob_ip":None,
      "cluster":None,"virtual_chassis":None,"vc_position":None,"vc_priority":None,"description":"","comments":"","config_template":None,"local_context_data":None,"tags":t,
      "custom_fields":cf(seq,None,None,None),"created":"2026-10-01T09:00:00.000000Z","last_updated":"2026-11-20T14:30:00.000000Z",
      "console_port_count":1,"console_server_port_count":0,"power_port_count":2,"power_outlet_count":0,"interface_count":56,"front_port_count":0,"rear_port_count":0,"device_bay_count":0,"module_bay_count":0,"inventory_item_count":0})
# wave network-foundation (devices), level 0
dev(1,"dc1-leaf-01","network",10,"network-foundation","high",ipaddr="10.10.0.11/24")
dev(2,"dc1-leaf-02","network",10,"network-foundation","high",ipaddr="10.10.0.12/24")
# level 1: storage and identity in parallel (rank 20)
vm(11,"dc1-nfs-gw-01","storage",20,"storage",prio="high",vcpus=4.0,mem=8192,disk=102400,ipaddr="10.20.0.11/24",dur=30,rb="medium")
vm(12,"dc1-idm-01","idm",20,"identity",prio="high",ipaddr="10.20.0.21/24",dur=20,rb="low")
vm(13,"dc1-idm-02","idm",21,"identity",prio="high",ipaddr="10.20.0.22/24",dur=20,rb="low")
# level 2: database (custom field wave), one depends on power-upgrade work package
vm(21,"dc1-db-01","db",30,wave_cf="database",prio="high",vcpus=8.0,mem=32768,disk=512000,ipaddr="10.20.1.11/24",dur=60,rb="high",extra_tags=["depends-on:wp:power-upgrade"])
vm(22,"dc1-db-02","db",31,wave_cf="database",prio="high",vcpus=8.0,mem=32768,disk=512000,ipaddr="10.20.1.12/24",dur=60,rb="high",desc="Replica of dc1-db-01")
# level 3: application (tags), one without sequence, explicit dependency on database
vm(31,"dc1-web-01","web",40,"application",prio="medium",ipaddr="10.20.2.11/24",extra_tags=["depends-on:wave:database","sprint:2026-48"])
vm(32,"dc1-web-02","web",41,"application",prio="medium",ipaddr="10.20.2.12/24",extra_tags=["sprint:2026-48"])
vm(33,"dc1-web-03","web",None,"application",prio="low",vcpus=1.5,ipaddr=None,extra_tags=["sprint:2026-49"],desc="Scale-out node, no sequence yet")
# last level: monitoring, no sequences at all
vm(41,"dc1-mon-01","mon",None,"monitoring",prio="low",ipaddr="10.20.3.11/24")
vm(42,"dc1-mon-02","mon",None,"monitoring",prio="low")
# already deployed object in the package
vm(9,"dc1-bastion-01","web",5,"network-foundation",st="active",ipaddr="10.10.0.5/24",prio="high")
# the other work package: power-upgrade, still planned
dev(51,"dc1-pdu-a1","pdu",10,"power",prio="high",wp="power-upgrade",model="AP8886",platform=None)
tl=[]
for n,t in tags.items():
    full=dict(t); full.update({"description":"","weight":1000,"object_types":[],"tagged_items":0,"created":"2026-10-01T09:00:00.000000Z","last_updated":"2026-10-01T09:00:00.000000Z"})
    tl.append(full)
out={"netbox_version":"4.6.8","virtual_machines":sorted(vms,key=lambda x:x["id"]),"devices":sorted(devs,key=lambda x:x["id"]),"tags":sorted(tl,key=lambda x:x["id"])}
json.dump(out,open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "dc1-refresh.json"),"w"),indent=2)
open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "dc1-refresh.json"),"a").write("\n")
