from cvgen.cli import main

main()
