import SimpulSNMP
import SimpulCapture
print(NetSNMP.libraryVersion, Pcap.libraryVersion)
